package dev.rill.examples.user;

import dev.rill.Status;
import dev.rill.StreamObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A response observer a thread can wait on: the responses of an async call as a queue, and its
 * final status. Lets the demo and the tests drive streaming calls one step at a time, each step
 * waiting for what the previous one caused, instead of sleeping.
 */
final class ResponseQueue<T> implements StreamObserver<T> {
  private final BlockingQueue<T> responses = new LinkedBlockingQueue<>();
  private final CompletableFuture<Status> closed = new CompletableFuture<>();

  @Override
  public void onNext(T value) {
    responses.add(value);
  }

  @Override
  public void onError(Throwable t) {
    closed.complete(Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    closed.complete(Status.OK);
  }

  /** The next response, waiting at most {@code timeout}; IllegalStateException if none came. */
  T next(Duration timeout) throws InterruptedException {
    T next = responses.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (next == null) {
      throw new IllegalStateException("no response within " + timeout
          + (closed.isDone() ? "; the call ended with " + closed.getNow(null) : ""));
    }
    return next;
  }

  /** The call's final status, waiting at most {@code timeout}, once every response was taken. */
  Status awaitClose(Duration timeout) throws InterruptedException {
    Status status;
    try {
      status = closed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the call did not end within " + timeout, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
    if (!responses.isEmpty()) {
      throw new IllegalStateException("the call ended with responses not taken: " + responses);
    }
    return status;
  }
}
