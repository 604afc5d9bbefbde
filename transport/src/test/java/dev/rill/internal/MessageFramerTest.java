package dev.rill.internal;

import static dev.rill.internal.TestMarshallers.BYTES;
import static dev.rill.internal.TestMarshallers.UTF8;
import static dev.rill.internal.TestMarshallers.payload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.Codec;
import dev.rill.Marshaller;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class MessageFramerTest {
  private static final ByteBufAllocator POOLED = PooledByteBufAllocator.DEFAULT;

  /** Reads the frame, checks its prefix, and releases it. */
  private static byte[] unframe(ByteBuf framed, int expectedFlags) {
    try {
      assertEquals(expectedFlags, framed.getUnsignedByte(framed.readerIndex()), "flags");
      int length = framed.getInt(framed.readerIndex() + 1);
      assertEquals(framed.readableBytes() - MessageFramer.HEADER_LENGTH, length, "length prefix");
      byte[] body = new byte[length];
      framed.getBytes(framed.readerIndex() + MessageFramer.HEADER_LENGTH, body);
      return body;
    } finally {
      assertTrue(framed.release(), "the caller holds the only reference");
    }
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  @ParameterizedTest
  @MethodSource("dev.rill.internal.TestMarshallers#allocators")
  void framesAMessageWithAZeroFlagAndABigEndianLength(ByteBufAllocator alloc) {
    ByteBuf framed = MessageFramer.frame(new byte[] {1, 2, 3}, BYTES, null, alloc);
    assertArrayEquals(new byte[] {0, 0, 0, 0, 3, 1, 2, 3}, ByteBufUtil.getBytes(framed));
    framed.release();
  }

  @Test
  void framesWithIdentityExactlyAsWithoutACodec() {
    ByteBuf framed = MessageFramer.frame("h\u00E9", UTF8, Codec.IDENTITY, POOLED);
    assertArrayEquals(new byte[] {0, 0, 0, 0, 3, 'h', (byte) 0xc3, (byte) 0xa9}, ByteBufUtil.getBytes(framed));
    framed.release();
  }

  @ParameterizedTest
  @MethodSource("dev.rill.internal.TestMarshallers#allocators")
  void framesAnEmptyMessageAsAFiveByteHeader(ByteBufAllocator alloc) {
    assertArrayEquals(new byte[0], unframe(MessageFramer.frame(new byte[0], BYTES, null, alloc), 0));
    assertArrayEquals(new byte[0], unframe(MessageFramer.frame(new byte[0], BYTES, Codec.GZIP, alloc), 0),
        "nothing to compress: sent uncompressed, flag 0");
  }

  @ParameterizedTest
  @MethodSource("dev.rill.internal.TestMarshallers#allocators")
  void framesMessagesLargerThanTheInitialBuffer(ByteBufAllocator alloc) {
    byte[] big = payload(1 << 20, 3);
    assertArrayEquals(big, unframe(MessageFramer.frame(big, BYTES, null, alloc), 0));
  }

  @ParameterizedTest
  @MethodSource("dev.rill.internal.TestMarshallers#allocators")
  void gzipFramingSetsTheCompressedFlagAndRoundTrips(ByteBufAllocator alloc) throws IOException {
    byte[] message = new byte[10_000];
    Arrays.fill(message, (byte) 'a');
    byte[] compressed = unframe(MessageFramer.frame(message, BYTES, Codec.GZIP, alloc), 1);
    assertTrue(compressed.length < message.length / 10, "compressed: " + compressed.length);
    ByteBuf in = Unpooled.wrappedBuffer(compressed);
    ByteBuf out = Codec.GZIP.decompress(in, alloc, message.length);
    try {
      assertArrayEquals(message, ByteBufUtil.getBytes(out));
      assertEquals(0, in.readerIndex(), "decompress leaves its input alone");
      assertEquals(1, in.refCnt());
    } finally {
      out.release();
      in.release();
    }
  }

  @Test
  void gzipFramingCompressesEachMessageOnItsOwn() throws IOException {
    for (String s : new String[] {"one", "two \u263A", ""}) {
      ByteBuf framed = MessageFramer.frame(s, UTF8, Codec.GZIP, POOLED);
      boolean compressed = framed.getByte(0) == 1;
      byte[] body = unframe(framed, compressed ? 1 : 0);
      String back = compressed
          ? new String(ByteBufUtil.getBytes(decompress(body, 1024)), java.nio.charset.StandardCharsets.UTF_8)
          : new String(body, java.nio.charset.StandardCharsets.UTF_8);
      assertEquals(s, back);
    }
  }

  private static ByteBuf decompress(byte[] gz, int max) throws IOException {
    ByteBuf in = Unpooled.wrappedBuffer(gz);
    try {
      ByteBuf out = Codec.GZIP.decompress(in, POOLED, max);
      ByteBuf copy = Unpooled.wrappedBuffer(ByteBufUtil.getBytes(out));
      out.release();
      return copy;
    } finally {
      in.release();
    }
  }

  @Test
  void releasesTheBufferWhenTheMarshallerThrows() {
    Marshaller<byte[]> failing = new Marshaller<>() {
      @Override
      public void write(byte[] message, ByteBuf out) {
        out.writeBytes(message);
        throw new IllegalStateException("boom");
      }

      @Override
      public byte[] parse(ByteBuf in) {
        throw new UnsupportedOperationException();
      }
    };
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> MessageFramer.frame(new byte[100], failing, Codec.GZIP, POOLED));
    assertEquals("boom", e.getMessage());
    // The leak check after this class fails if the buffer was kept.
  }

  @Test
  void releasesTheBufferWhenTheCodecFailsAndNamesTheCodec() {
    Codec broken = new Codec() {
      @Override
      public String name() {
        return "broken";
      }

      @Override
      public ByteBuf compress(ByteBuf in, ByteBufAllocator alloc) throws IOException {
        throw new IOException("disk on fire");
      }

      @Override
      public ByteBuf decompress(ByteBuf in, ByteBufAllocator alloc, int maxBytes) {
        throw new UnsupportedOperationException();
      }
    };
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> MessageFramer.frame(new byte[] {1}, BYTES, broken, POOLED));
    assertEquals("broken: compressing message", e.getMessage());
    assertEquals("disk on fire", e.getCause().getMessage());
  }

  @ParameterizedTest
  @MethodSource("dev.rill.internal.TestMarshallers#allocators")
  void gzipDecompressesExactlyAtTheLimit(ByteBufAllocator alloc) throws IOException {
    byte[] data = payload(4096, 1);
    ByteBuf in = alloc.buffer().writeBytes(gzip(data));
    try {
      ByteBuf out = Codec.GZIP.decompress(in, alloc, data.length);
      assertArrayEquals(data, ByteBufUtil.getBytes(out));
      out.release();
      assertThrows(Codec.MessageTooLargeException.class, () -> Codec.GZIP.decompress(in, alloc, data.length - 1));
    } finally {
      in.release();
    }
  }

  @Test
  void gzipDecompressesAnEmptyMessageWithAZeroLimit() throws IOException {
    ByteBuf in = Unpooled.wrappedBuffer(gzip(new byte[0]));
    ByteBuf out = Codec.GZIP.decompress(in, POOLED, 0);
    assertEquals(0, out.readableBytes());
    out.release();
    in.release();
  }

  @ParameterizedTest
  @MethodSource("dev.rill.internal.TestMarshallers#allocators")
  void gzipBombFailsAtTheLimitWithoutInflatingTheRest(ByteBufAllocator alloc) throws IOException {
    // 64 MiB of zeros compress to about 64 KiB.
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(sink)) {
      byte[] zeros = new byte[1 << 16];
      for (int i = 0; i < 1024; i++) {
        gz.write(zeros);
      }
    }
    byte[] bomb = sink.toByteArray();
    int limit = 1 << 20;

    ByteBuf whole = alloc.buffer().writeBytes(bomb);
    try {
      Codec.MessageTooLargeException e = assertThrows(Codec.MessageTooLargeException.class,
          () -> Codec.GZIP.decompress(whole, alloc, limit));
      assertEquals("decompressed message exceeds the limit of " + limit + " bytes", e.getMessage());
      assertEquals(1, whole.refCnt());
    } finally {
      whole.release();
    }

    // Proof that it stops at the limit: cut the bomb in half. Inflating all of it would run into the
    // cut (EOFException); stopping at the limit never gets there.
    ByteBuf half = alloc.buffer().writeBytes(bomb, 0, bomb.length / 2);
    try {
      assertThrows(Codec.MessageTooLargeException.class, () -> Codec.GZIP.decompress(half, alloc, limit));
      IOException cut = assertThrows(IOException.class,
          () -> Codec.GZIP.decompress(half, alloc, Integer.MAX_VALUE - 16));
      assertInstanceOf(EOFException.class, cut, "the cut is where a full inflate fails: " + cut);
    } finally {
      half.release();
    }
  }

  @Test
  void gzipRejectsInputThatIsNotGzip() {
    ByteBuf in = POOLED.buffer().writeBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    try {
      assertThrows(ZipException.class, () -> Codec.GZIP.decompress(in, POOLED, 1024));
      assertThrows(EOFException.class, () -> Codec.GZIP.decompress(Unpooled.EMPTY_BUFFER, POOLED, 1024));
    } finally {
      in.release();
    }
  }

  @Test
  void identityDecompressEnforcesTheLimitAndSharesTheBytes() throws IOException {
    ByteBuf in = POOLED.buffer().writeBytes(new byte[] {1, 2, 3});
    try {
      Codec.MessageTooLargeException e = assertThrows(Codec.MessageTooLargeException.class,
          () -> Codec.IDENTITY.decompress(in, POOLED, 2));
      assertEquals("message of 3 bytes exceeds the limit of 2", e.getMessage());
      ByteBuf out = Codec.IDENTITY.decompress(in, POOLED, 3);
      assertEquals(2, in.refCnt(), "a retained duplicate, no copy");
      assertArrayEquals(new byte[] {1, 2, 3}, ByteBufUtil.getBytes(out));
      out.release();
    } finally {
      in.release();
    }
  }

  @Test
  void builtInCodecsAreNamedAsGrpcEncodingSays() {
    assertEquals("identity", Codec.IDENTITY.name());
    assertEquals("gzip", Codec.GZIP.name());
    assertSame(Codecs.GZIP, Codec.GZIP);
  }
}
