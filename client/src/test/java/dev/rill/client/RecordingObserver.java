package dev.rill.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rill.StatusException;
import dev.rill.StreamObserver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A response observer that records what it is told, and notes any breach of the observer contract:
 * overlapping callbacks, or anything after the terminal event.
 */
final class RecordingObserver<T> implements StreamObserver<T> {
  static final long TIMEOUT_SECONDS = 30;

  final List<T> messages = Collections.synchronizedList(new ArrayList<>());
  final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  final List<String> threads = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger inFlight = new AtomicInteger();
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile boolean terminated;
  private volatile Throwable error;
  private volatile boolean completed;

  @Override
  public void onNext(T value) {
    enter("onNext");
    messages.add(value);
    exit();
  }

  @Override
  public void onError(Throwable t) {
    enter("onError");
    error = t;
    terminated = true;
    exit();
    done.countDown();
  }

  @Override
  public void onCompleted() {
    enter("onCompleted");
    completed = true;
    terminated = true;
    exit();
    done.countDown();
  }

  private void enter(String event) {
    threads.add(Thread.currentThread().getName());
    if (inFlight.incrementAndGet() != 1) {
      violations.add(event + " overlapped another callback");
    }
    if (terminated) {
      violations.add(event + " after the terminal event");
    }
  }

  private void exit() {
    inFlight.decrementAndGet();
  }

  /** Waits for onCompleted; fails on onError or a contract breach. */
  List<T> awaitCompletion() throws InterruptedException {
    awaitTerminal();
    if (error != null) {
      throw new AssertionError("expected completion, got " + error, error);
    }
    assertTrue(completed);
    return new ArrayList<>(messages);
  }

  /** Waits for onError and returns its StatusException; fails on completion or a contract breach. */
  StatusException awaitError() throws InterruptedException {
    awaitTerminal();
    if (completed) {
      fail("expected an error, the call completed after " + messages.size() + " messages");
    }
    return assertInstanceOf(StatusException.class, error);
  }

  private void awaitTerminal() throws InterruptedException {
    assertTrue(done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "no terminal event");
    assertEquals(List.of(), violations);
  }
}
