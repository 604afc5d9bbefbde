package dev.rill.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link MessageDeframer} with a listener that records everything it is told, feeding it DATA
 * frames from a given allocator and remembering them so that a test can check each was released.
 */
final class DeframerFixture implements MessageDeframer.Listener {
  final ByteBufAllocator alloc;
  final MessageDeframer deframer;

  /** In order: "message <n> bytes[ compressed]", "end", "failed <CODE>: <description>". */
  final List<String> events = new ArrayList<>();
  final List<byte[]> messages = new ArrayList<>();
  final List<Boolean> compressed = new ArrayList<>();
  /** Each bytesRead call's count, in order. */
  final List<Integer> bytesReadCalls = new ArrayList<>();
  long bytesRead;
  Status failure;
  /** Runs inside messageRead, after recording and releasing the message. */
  Consumer<DeframerFixture> onMessage = f -> {};

  private final List<ByteBuf> fed = new ArrayList<>();

  DeframerFixture(ByteBufAllocator alloc, int maxMessageSize) {
    this.alloc = alloc;
    this.deframer = new MessageDeframer(this, alloc, maxMessageSize);
  }

  /** Feeds {@code bytes} as one DATA frame. */
  DeframerFixture feed(byte[] bytes) {
    return feed(bytes, false);
  }

  DeframerFixture feed(byte[] bytes, boolean endOfStream) {
    ByteBuf data = alloc.buffer(Math.max(1, bytes.length)).writeBytes(bytes);
    fed.add(data);
    deframer.deframe(data, endOfStream);
    return this;
  }

  /** Feeds each chunk as its own DATA frame, the last one ending the stream if asked. */
  DeframerFixture feedAll(List<byte[]> chunks, boolean endOfStream) {
    for (int i = 0; i < chunks.size(); i++) {
      feed(chunks.get(i), endOfStream && i == chunks.size() - 1);
    }
    return this;
  }

  DeframerFixture request(int n) {
    deframer.request(n);
    return this;
  }

  @Override
  public void messageRead(ByteBuf message, boolean compressed) {
    assertTrue(message.refCnt() > 0, "delivered alive");
    byte[] bytes = ByteBufUtil.getBytes(message);
    message.release();
    messages.add(bytes);
    this.compressed.add(compressed);
    events.add("message " + bytes.length + " bytes" + (compressed ? " compressed" : ""));
    onMessage.accept(this);
  }

  @Override
  public void bytesRead(int count) {
    assertTrue(count > 0, "bytesRead(" + count + ")");
    bytesReadCalls.add(count);
    bytesRead += count;
  }

  @Override
  public void endOfStream() {
    events.add("end");
  }

  @Override
  public void deframeFailed(Status status) {
    assertFalse(failure != null, "failed twice: " + failure + ", then " + status);
    failure = status;
    events.add("failed " + status.code() + ": " + status.description());
  }

  Status assertFailed(Status.Code code) {
    assertNotNull(failure, () -> "expected " + code + ", events " + events);
    assertEquals(code, failure.code(), failure::toString);
    assertTrue(deframer.isClosed(), "a failed deframer closes itself");
    return failure;
  }

  /** Every DATA frame fed so far has been released (messages are released on delivery). */
  void assertAllInputReleased() {
    for (int i = 0; i < fed.size(); i++) {
      assertEquals(0, fed.get(i).refCnt(), "DATA frame " + i + " of " + fed.size() + " still referenced");
    }
  }

  /** Closes the deframer and checks that nothing it was given is still alive. */
  void closeAndAssertReleased() {
    deframer.close();
    assertAllInputReleased();
  }
}
