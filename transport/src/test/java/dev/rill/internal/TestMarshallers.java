package dev.rill.internal;

import dev.rill.Marshaller;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/** Tiny marshallers, wire helpers and allocators shared by the framing tests. */
final class TestMarshallers {
  /** Raw bytes, as they are. */
  static final Marshaller<byte[]> BYTES = new Marshaller<>() {
    @Override
    public void write(byte[] message, ByteBuf out) {
      out.writeBytes(message);
    }

    @Override
    public byte[] parse(ByteBuf in) {
      return ByteBufUtil.getBytes(in);
    }
  };

  /** UTF-8 strings. */
  static final Marshaller<String> UTF8 = new Marshaller<>() {
    @Override
    public void write(String message, ByteBuf out) {
      out.writeCharSequence(message, StandardCharsets.UTF_8);
    }

    @Override
    public String parse(ByteBuf in) {
      return in.toString(StandardCharsets.UTF_8);
    }
  };

  private TestMarshallers() {}

  /**
   * Allocators the codecs must work with. Unpooled heap buffers are not tracked by the leak
   * detector, so the unpooled allocators here prefer direct buffers; the pooled heap one keeps heap
   * buffers covered.
   */
  static Stream<Named<ByteBufAllocator>> allocators() {
    return Stream.of(
        Named.of("pooled direct", PooledByteBufAllocator.DEFAULT),
        Named.of("pooled heap", PooledHeap.ALLOC),
        Named.of("unpooled direct", new UnpooledByteBufAllocator(true)),
        Named.of("default (adaptive)", ByteBufAllocator.DEFAULT));
  }

  /** A length-prefixed message: flags, 4-byte big-endian length, payload. */
  static byte[] frame(int flags, byte[] payload) {
    byte[] out = new byte[5 + payload.length];
    out[0] = (byte) flags;
    out[1] = (byte) (payload.length >>> 24);
    out[2] = (byte) (payload.length >>> 16);
    out[3] = (byte) (payload.length >>> 8);
    out[4] = (byte) payload.length;
    System.arraycopy(payload, 0, out, 5, payload.length);
    return out;
  }

  /** A message header announcing {@code length} bytes, without the body. */
  static byte[] header(int flags, long length) {
    return new byte[] {
      (byte) flags, (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length
    };
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** {@code n} bytes of a recognisable pattern starting from {@code seed}. */
  static byte[] payload(int n, int seed) {
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      out[i] = (byte) (seed + i * 31);
    }
    return out;
  }

  /** Cuts {@code wire} into pieces of {@code size} bytes (the last may be shorter). */
  static List<byte[]> chunks(byte[] wire, int size) {
    List<byte[]> out = new ArrayList<>();
    for (int at = 0; at < wire.length; at += size) {
      byte[] chunk = new byte[Math.min(size, wire.length - at)];
      System.arraycopy(wire, at, chunk, 0, chunk.length);
      out.add(chunk);
    }
    return out;
  }

  static ByteBuf buffer(ByteBufAllocator alloc, byte[] bytes) {
    return alloc.buffer(bytes.length).writeBytes(bytes);
  }

  private static final class PooledHeap {
    static final ByteBufAllocator ALLOC = new PooledByteBufAllocator(false);
  }
}
