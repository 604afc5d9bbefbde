package dev.rill.internal;

import static dev.rill.internal.TestMarshallers.chunks;
import static dev.rill.internal.TestMarshallers.concat;
import static dev.rill.internal.TestMarshallers.frame;
import static dev.rill.internal.TestMarshallers.header;
import static dev.rill.internal.TestMarshallers.payload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.Codec;
import dev.rill.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MessageDeframerTest {
  private static final int MAX = 4 * 1024 * 1024;
  private static final ByteBufAllocator POOLED = PooledByteBufAllocator.DEFAULT;

  @ParameterizedTest
  @MethodSource("dev.rill.internal.TestMarshallers#allocators")
  void deliversAMessageSplitAcrossManyDataFrames(ByteBufAllocator alloc) {
    byte[] body = payload(200_000, 7);
    byte[] wire = frame(0, body);
    for (int chunk : new int[] {1000, 997, 16_384, 65_535}) {
      DeframerFixture f = new DeframerFixture(alloc, MAX).request(1);
      f.feedAll(chunks(wire, chunk), false);
      assertEquals(List.of("message 200000 bytes"), f.events, "chunks of " + chunk);
      assertArrayEquals(body, f.messages.get(0));
      assertEquals(wire.length, f.bytesRead);
      assertFalse(f.deframer.hasBufferedInput());
      f.assertAllInputReleased();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.rill.internal.TestMarshallers#allocators")
  void deliversMessagesFedOneByteAtATime(ByteBufAllocator alloc) {
    byte[][] bodies = {new byte[0], payload(1, 1), payload(5, 2), payload(300, 3), new byte[0]};
    List<byte[]> frames = new ArrayList<>();
    for (byte[] b : bodies) {
      frames.add(frame(0, b));
    }
    byte[] wire = concat(frames.toArray(new byte[0][]));
    DeframerFixture f = new DeframerFixture(alloc, MAX).request(bodies.length);
    f.feedAll(chunks(wire, 1), true);
    assertEquals(bodies.length + 1, f.events.size(), f.events::toString);
    for (int i = 0; i < bodies.length; i++) {
      assertArrayEquals(bodies[i], f.messages.get(i), "message " + i);
    }
    assertEquals("end", f.events.get(bodies.length));
    assertEquals(wire.length, f.bytesRead);
    f.assertAllInputReleased();
  }

  @ParameterizedTest
  @MethodSource("dev.rill.internal.TestMarshallers#allocators")
  void deliversManyMessagesFromOneDataFrame(ByteBufAllocator alloc) {
    byte[][] frames = new byte[100][];
    for (int i = 0; i < frames.length; i++) {
      frames[i] = frame(0, payload(i * 3, i));
    }
    DeframerFixture f = new DeframerFixture(alloc, MAX).request(100);
    f.feed(concat(frames), true);
    assertEquals(101, f.events.size());
    for (int i = 0; i < 100; i++) {
      assertArrayEquals(payload(i * 3, i), f.messages.get(i), "message " + i);
    }
    assertEquals("end", f.events.get(100));
    f.assertAllInputReleased();
  }

  @ParameterizedTest
  @MethodSource("dev.rill.internal.TestMarshallers#allocators")
  void deliversEmptyMessages(ByteBufAllocator alloc) {
    DeframerFixture f = new DeframerFixture(alloc, MAX).request(3);
    f.feed(concat(frame(0, new byte[0]), frame(1, new byte[0]), frame(0, new byte[0])));
    assertEquals(List.of("message 0 bytes", "message 0 bytes compressed", "message 0 bytes"), f.events);
    assertEquals(15, f.bytesRead);
    f.assertAllInputReleased();
  }

  @Test
  void passesTheCompressedFlagThrough() {
    DeframerFixture f = new DeframerFixture(POOLED, MAX).request(3);
    f.feed(concat(frame(1, payload(10, 0)), frame(0, payload(10, 0)), frame(1, payload(70_000, 0))));
    assertEquals(List.of(true, false, true), f.compressed);
    f.assertAllInputReleased();
  }

  @Test
  void deliversWhatMessageFramerWrites() throws Exception {
    DeframerFixture f = new DeframerFixture(POOLED, MAX).request(2);
    ByteBuf plain = MessageFramer.frame("hello", TestMarshallers.UTF8, null, POOLED);
    ByteBuf gzipped = MessageFramer.frame("hello", TestMarshallers.UTF8, Codec.GZIP, POOLED);
    f.feed(ByteBufUtil.getBytes(plain)).feed(ByteBufUtil.getBytes(gzipped));
    plain.release();
    gzipped.release();
    assertEquals("hello", new String(f.messages.get(0), java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(List.of(false, true), f.compressed);
    ByteBuf in = POOLED.buffer().writeBytes(f.messages.get(1));
    ByteBuf out = Codec.GZIP.decompress(in, POOLED, 100);
    assertEquals("hello", out.toString(java.nio.charset.StandardCharsets.UTF_8));
    out.release();
    in.release();
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 4, 0x10, 0x80, 0xff})
  void failsWithInternalOnReservedFlagBits(int flags) {
    DeframerFixture f = new DeframerFixture(POOLED, MAX).request(2);
    f.feed(concat(frame(flags, payload(10, 0)), frame(0, payload(10, 0))));
    Status s = f.assertFailed(Status.Code.INTERNAL);
    assertEquals("grpc frame: reserved flag bits set (flags 0x" + Integer.toHexString(flags) + ")",
        s.description());
    assertTrue(f.messages.isEmpty(), "nothing after a bad header is delivered");
    f.feed(frame(0, payload(3, 0)), true);
    assertEquals(1, f.events.size(), "input after the failure is dropped: " + f.events);
    f.assertAllInputReleased();
  }

  @ParameterizedTest
  @MethodSource("dev.rill.internal.TestMarshallers#allocators")
  void failsWithResourceExhaustedAtTheHeaderOfAMessageOverTheLimit(ByteBufAllocator alloc) {
    DeframerFixture f = new DeframerFixture(alloc, 1000).request(1);
    f.feed(header(0, 1001));
    Status s = f.assertFailed(Status.Code.RESOURCE_EXHAUSTED);
    assertEquals("grpc frame: message of 1001 bytes exceeds the limit of 1000 bytes", s.description());
    f.feed(payload(1001, 0), true);
    assertEquals(1, f.events.size(), "the body is never buffered or delivered: " + f.events);
    f.assertAllInputReleased();
  }

  @Test
  void failsAtTheHeaderEvenWhenPartOfTheBodyCameWithIt() {
    DeframerFixture f = new DeframerFixture(POOLED, 1000).request(1);
    f.feed(concat(header(1, 5000), payload(2000, 0)));
    f.assertFailed(Status.Code.RESOURCE_EXHAUSTED);
    f.assertAllInputReleased();
  }

  @Test
  void readsTheLengthAsUnsigned() {
    DeframerFixture f = new DeframerFixture(POOLED, Integer.MAX_VALUE).request(1);
    f.feed(header(0, 0xFFFF_FFFFL));
    Status s = f.assertFailed(Status.Code.RESOURCE_EXHAUSTED);
    assertEquals("grpc frame: message of 4294967295 bytes exceeds the limit of 2147483647 bytes",
        s.description());
  }

  @ParameterizedTest
  @MethodSource("dev.rill.internal.TestMarshallers#allocators")
  void deliversAMessageExactlyAtTheLimit(ByteBufAllocator alloc) {
    DeframerFixture f = new DeframerFixture(alloc, 1000).request(1);
    f.feedAll(chunks(frame(0, payload(1000, 9)), 300), false);
    assertArrayEquals(payload(1000, 9), f.messages.get(0));
    f.assertAllInputReleased();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4})
  void failsWithInternalWhenTheStreamEndsInsideAHeader(int headerBytes) {
    DeframerFixture f = new DeframerFixture(POOLED, MAX).request(2);
    byte[] partial = new byte[headerBytes];
    f.feed(concat(frame(0, payload(4, 0)), partial), true);
    Status s = f.assertFailed(Status.Code.INTERNAL);
    assertEquals("grpc frame: stream ended inside a message header (" + headerBytes + " of 5 bytes)",
        s.description());
    assertEquals(List.of("message 4 bytes", "failed INTERNAL: " + s.description()), f.events);
    f.assertAllInputReleased();
  }

  @ParameterizedTest
  @MethodSource("dev.rill.internal.TestMarshallers#allocators")
  void failsWithInternalWhenTheStreamEndsInsideABody(ByteBufAllocator alloc) {
    DeframerFixture f = new DeframerFixture(alloc, MAX).request(1);
    f.feed(header(0, 20)).feed(payload(4, 0)).feed(payload(6, 0));
    f.deframer.endOfStream();
    Status s = f.assertFailed(Status.Code.INTERNAL);
    assertEquals("grpc frame: stream ended inside a message (10 of 20 bytes)", s.description());
    f.assertAllInputReleased();
  }

  @Test
  void failsWithInternalWhenTheStreamEndsRightAfterAHeader() {
    DeframerFixture f = new DeframerFixture(POOLED, MAX).request(1);
    f.feed(header(0, 20), true);
    assertEquals("grpc frame: stream ended inside a message (0 of 20 bytes)",
        f.assertFailed(Status.Code.INTERNAL).description());
    f.assertAllInputReleased();
  }

  @Test
  void reportsATruncatedStreamOnlyOnceTheNextMessageIsRequested() {
    DeframerFixture f = new DeframerFixture(POOLED, MAX);
    f.feed(concat(frame(0, payload(3, 0)), header(0, 9)), true);
    assertTrue(f.events.isEmpty());
    f.request(1);
    assertEquals(List.of("message 3 bytes"), f.events);
    f.request(1);
    f.assertFailed(Status.Code.INTERNAL);
    f.assertAllInputReleased();
  }

  @Test
  void deliversEndOfStreamOnlyAfterEveryMessage() {
    DeframerFixture f = new DeframerFixture(POOLED, MAX);
    f.feed(concat(frame(0, payload(1, 0)), frame(0, payload(2, 0))), true);
    assertTrue(f.events.isEmpty(), "no demand, no messages, and the end waits behind them");
    f.request(1);
    assertEquals(List.of("message 1 bytes"), f.events);
    f.request(1);
    assertEquals(List.of("message 1 bytes", "message 2 bytes", "end"), f.events);
    assertTrue(f.deframer.isClosed());
    f.assertAllInputReleased();
  }

  @Test
  void deliversEndOfStreamWithoutDemandWhenNothingIsBuffered() {
    DeframerFixture f = new DeframerFixture(POOLED, MAX);
    f.deframer.endOfStream();
    assertEquals(List.of("end"), f.events);
    f.deframer.endOfStream();
    f.request(1);
    assertEquals(List.of("end"), f.events, "only once");
  }

  @Test
  void anEmptyDataFrameCanEndTheStream() {
    DeframerFixture f = new DeframerFixture(POOLED, MAX).request(1);
    f.feed(frame(0, payload(2, 0))).feed(new byte[0], true);
    assertEquals(List.of("message 2 bytes", "end"), f.events);
    f.assertAllInputReleased();
  }

  @Test
  void dropsAndReleasesInputAfterClose() {
    DeframerFixture f = new DeframerFixture(POOLED, MAX);
    f.feed(frame(0, payload(2, 0)));
    f.deframer.close();
    f.feed(frame(0, payload(2, 0)), true);
    f.request(5);
    assertTrue(f.events.isEmpty(), f.events::toString);
    assertEquals(0, f.bytesRead);
    f.assertAllInputReleased();
  }

  @ParameterizedTest
  @MethodSource("dev.rill.internal.TestMarshallers#allocators")
  void closeReleasesAHalfReadMessage(ByteBufAllocator alloc) {
    DeframerFixture f = new DeframerFixture(alloc, MAX).request(1);
    f.feed(header(0, 100_000)).feed(payload(30_000, 0)).feed(payload(20_000, 1));
    assertTrue(f.deframer.hasBufferedInput());
    f.closeAndAssertReleased();
    f.deframer.close();
    assertTrue(f.events.isEmpty());
  }

  @Test
  void rejectsANonPositiveRequest() {
    DeframerFixture f = new DeframerFixture(POOLED, MAX);
    assertEquals("request: count must be positive, got 0",
        assertThrows(IllegalArgumentException.class, () -> f.request(0)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> f.request(-1));
  }

  @Test
  void theListenerMayRequestMoreFromInsideMessageRead() {
    DeframerFixture f = new DeframerFixture(POOLED, MAX);
    f.onMessage = fx -> fx.request(1);
    byte[][] frames = new byte[2000][];
    for (int i = 0; i < frames.length; i++) {
      frames[i] = frame(0, payload(1, i));
    }
    f.feed(concat(frames), true);
    f.request(1); // each delivery asks for the next; no recursion, however many are queued
    assertEquals(2001, f.events.size());
    for (int i = 0; i < frames.length; i++) {
      assertArrayEquals(payload(1, i), f.messages.get(i));
    }
    f.assertAllInputReleased();
  }

  @Test
  void theListenerMayCloseFromInsideMessageRead() {
    DeframerFixture f = new DeframerFixture(POOLED, MAX).request(5);
    f.onMessage = fx -> fx.deframer.close();
    f.feed(concat(frame(0, payload(1, 0)), frame(0, payload(1, 1)), frame(0, payload(1, 2))), true);
    assertEquals(List.of("message 1 bytes"), f.events);
    f.assertAllInputReleased();
  }

  @Test
  void theListenerMayFeedMoreFromInsideMessageRead() {
    DeframerFixture f = new DeframerFixture(POOLED, MAX).request(3);
    f.onMessage = fx -> {
      if (fx.messages.size() == 1) {
        fx.feed(frame(0, payload(2, 0)), true);
      }
    };
    f.feed(concat(frame(0, payload(1, 0)), frame(0, payload(3, 0))));
    assertEquals(List.of("message 1 bytes", "message 3 bytes", "message 2 bytes", "end"), f.events);
    f.assertAllInputReleased();
  }
}
