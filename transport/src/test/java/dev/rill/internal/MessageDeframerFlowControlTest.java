package dev.rill.internal;

import static dev.rill.internal.TestMarshallers.chunks;
import static dev.rill.internal.TestMarshallers.concat;
import static dev.rill.internal.TestMarshallers.frame;
import static dev.rill.internal.TestMarshallers.payload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Demand ({@code request(n)}) and the flow-control contract of {@link MessageDeframer}: bytes are
 * reported to {@code bytesRead} only once they are taken into a requested message.
 */
class MessageDeframerFlowControlTest {
  private static final int MAX = 4 * 1024 * 1024;
  private static final ByteBufAllocator POOLED = PooledByteBufAllocator.DEFAULT;

  private static byte[] messages(int count, int size) {
    byte[][] frames = new byte[count][];
    for (int i = 0; i < count; i++) {
      frames[i] = frame(0, payload(size, i));
    }
    return concat(frames);
  }

  @Test
  void deliversNothingWithoutDemand() {
    DeframerFixture f = new DeframerFixture(POOLED, MAX);
    f.feed(messages(3, 10), true);
    assertTrue(f.events.isEmpty(), f.events::toString);
    assertTrue(f.deframer.hasBufferedInput());
    f.closeAndAssertReleased();
  }

  @Test
  void deliversExactlyAsManyMessagesAsRequested() {
    DeframerFixture f = new DeframerFixture(POOLED, MAX);
    f.feed(messages(5, 10));
    f.request(2);
    assertEquals(2, f.messages.size());
    f.request(1);
    assertEquals(3, f.messages.size());
    f.request(1);
    f.request(1);
    assertEquals(5, f.messages.size());
    assertFalse(f.deframer.hasBufferedInput());
    for (int i = 0; i < 5; i++) {
      assertArrayEquals(payload(10, i), f.messages.get(i), "in order");
    }
    f.assertAllInputReleased();
  }

  @Test
  void keepsUnmetDemandForMessagesStillToCome() {
    DeframerFixture f = new DeframerFixture(POOLED, MAX).request(4);
    f.feed(messages(3, 1));
    assertEquals(3, f.messages.size());
    f.feed(messages(3, 1));
    assertEquals(4, f.messages.size(), "one left over from the four requested");
    f.request(10);
    assertEquals(6, f.messages.size());
    f.feed(frame(0, payload(1, 0)), true);
    assertEquals(7, f.messages.size());
    assertEquals("end", f.events.get(f.events.size() - 1));
    f.assertAllInputReleased();
  }

  @Test
  void demandSaturatesInsteadOfOverflowing() {
    DeframerFixture f = new DeframerFixture(POOLED, MAX).request(Integer.MAX_VALUE).request(Integer.MAX_VALUE);
    f.feed(messages(10, 1), true);
    assertEquals(11, f.events.size());
    f.assertAllInputReleased();
  }

  @Test
  void reportsNoBytesWithoutDemand() {
    DeframerFixture f = new DeframerFixture(POOLED, MAX);
    for (byte[] chunk : chunks(messages(20, 1000), 512)) {
      f.feed(chunk);
    }
    assertEquals(0, f.bytesRead);
    assertTrue(f.bytesReadCalls.isEmpty());
    f.closeAndAssertReleased();
  }

  @Test
  void reportsTheBytesOfEachMessageWhenItIsRequested() {
    DeframerFixture f = new DeframerFixture(POOLED, MAX);
    f.feed(concat(frame(0, payload(10, 0)), frame(0, payload(20, 0)), frame(0, payload(30, 0))));
    f.request(1);
    assertEquals(15, f.bytesRead);
    f.request(1);
    assertEquals(15 + 25, f.bytesRead);
    f.request(1);
    assertEquals(15 + 25 + 35, f.bytesRead);
    f.assertAllInputReleased();
  }

  @ParameterizedTest
  @MethodSource("dev.rill.internal.TestMarshallers#allocators")
  void reportsTheBytesOfARequestedMessageAsTheyArrive(ByteBufAllocator alloc) {
    // A message bigger than a stream window only completes if its bytes are handed back while it
    // is still incomplete.
    byte[] wire = frame(0, payload(1_000_000, 5));
    DeframerFixture f = new DeframerFixture(alloc, MAX).request(1);
    long fed = 0;
    for (byte[] chunk : chunks(wire, 16_384)) {
      f.feed(chunk);
      fed += chunk.length;
      assertEquals(fed, f.bytesRead, "every byte of the requested message is reported on arrival");
    }
    assertArrayEquals(payload(1_000_000, 5), f.messages.get(0));
    f.assertAllInputReleased();
  }

  @Test
  void doesNotReportBytesOfTheNextMessageUntilItIsRequested() {
    DeframerFixture f = new DeframerFixture(POOLED, MAX).request(1);
    byte[] next = frame(0, payload(100, 1));
    // The frame ends message one and starts message two.
    f.feed(concat(frame(0, payload(100, 0)), java.util.Arrays.copyOf(next, 50)));
    assertEquals(1, f.messages.size());
    assertEquals(105, f.bytesRead, "message two's first 50 bytes are not reported yet");
    f.feed(java.util.Arrays.copyOfRange(next, 50, 80));
    assertEquals(105, f.bytesRead, "nor are bytes arriving for it while it is not requested");
    f.request(1);
    assertEquals(105 + 80, f.bytesRead, "requesting takes what arrived");
    f.feed(java.util.Arrays.copyOfRange(next, 80, next.length));
    assertEquals(210, f.bytesRead);
    assertArrayEquals(payload(100, 1), f.messages.get(1));
    f.assertAllInputReleased();
  }

  @Test
  void reportsTheHeaderOfARequestedMessageBeforeItsBody() {
    DeframerFixture f = new DeframerFixture(POOLED, MAX).request(1);
    f.feed(TestMarshallers.header(0, 10));
    assertEquals(List.of(5), f.bytesReadCalls);
    assertTrue(f.messages.isEmpty());
    f.feed(payload(10, 0));
    assertEquals(15, f.bytesRead);
    assertEquals(1, f.messages.size());
    f.assertAllInputReleased();
  }

  @Test
  void reportsEveryByteExactlyOnceAcrossRandomFramingAndDemand() {
    Random random = new Random(2024);
    for (int round = 0; round < 200; round++) {
      int count = 1 + random.nextInt(20);
      List<byte[]> bodies = new ArrayList<>();
      List<byte[]> frames = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        byte[] body = payload(random.nextInt(4) == 0 ? 0 : random.nextInt(3000), random.nextInt());
        bodies.add(body);
        frames.add(frame(random.nextInt(2), body));
      }
      byte[] wire = concat(frames.toArray(new byte[0][]));
      DeframerFixture f = new DeframerFixture(round % 2 == 0 ? POOLED : ByteBufAllocator.DEFAULT, MAX);
      long requested = 0;
      int at = 0;
      while (at < wire.length || f.messages.size() < count) {
        if (at < wire.length && random.nextBoolean()) {
          int n = Math.min(wire.length - at, 1 + random.nextInt(random.nextBoolean() ? 8 : 5000));
          f.feed(java.util.Arrays.copyOfRange(wire, at, at + n), at + n == wire.length);
          at += n;
        } else {
          int n = 1 + random.nextInt(3);
          f.request(n);
          requested += n;
        }
        int delivered = f.messages.size();
        assertTrue(delivered <= requested, "never more than requested");
        long deliveredBytes = 0;
        for (int i = 0; i < delivered; i++) {
          deliveredBytes += 5 + bodies.get(i).length;
        }
        boolean wanting = requested > delivered && delivered < count;
        long inProgress = wanting ? 5 + bodies.get(delivered).length : 0;
        assertTrue(f.bytesRead >= deliveredBytes && f.bytesRead <= deliveredBytes + inProgress,
            "reported " + f.bytesRead + ", delivered " + deliveredBytes + ", in progress " + inProgress);
        assertTrue(f.bytesRead <= at, "never more than arrived");
      }
      assertEquals(wire.length, f.bytesRead);
      for (int i = 0; i < count; i++) {
        assertArrayEquals(bodies.get(i), f.messages.get(i));
      }
      assertEquals("end", f.events.get(f.events.size() - 1));
      assertEquals(null, f.failure);
      f.assertAllInputReleased();
    }
  }
}
