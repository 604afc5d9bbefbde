package dev.rill.interop;

import dev.rill.Status;
import dev.rill.StreamObserver;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response observer to take responses from one at a time, for cases that interleave sending and
 * receiving (ping_pong, cancel_after_first_response). Thread-safe.
 */
final class ResponseQueue<T> implements StreamObserver<T> {
  /** The end of the call: OK or the failure's status. */
  private static final class End {
    final Status status;

    End(Status status) {
      this.status = status;
    }
  }

  private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private End end;

  @Override
  public void onNext(T value) {
    events.add(value);
  }

  @Override
  public void onError(Throwable t) {
    events.add(new End(Status.fromThrowable(t)));
  }

  @Override
  public void onCompleted() {
    events.add(new End(Status.OK));
  }

  /** The next response; fails the check if the call ended or nothing came. */
  @SuppressWarnings("unchecked")
  T next(String check) {
    Object e = take(check);
    if (e instanceof End) {
      end = (End) e;
      throw new AssertionError(check + ": the call ended (" + end.status + ") instead of sending a response");
    }
    return (T) e;
  }

  /** Waits for the end, skipping responses; returns null on OK or the failure's status. */
  Status awaitEnd(String check) {
    while (end == null) {
      Object e = take(check);
      if (e instanceof End) {
        end = (End) e;
      }
    }
    return end.status.isOk() ? null : end.status;
  }

  /** Waits for the end, which must be OK with no further response. */
  void awaitCompletion(String check) {
    Object e = end != null ? end : take(check);
    if (!(e instanceof End)) {
      throw new AssertionError(check + ": an unexpected extra response");
    }
    end = (End) e;
    if (!end.status.isOk()) {
      throw new AssertionError(check + ": call failed: " + end.status);
    }
  }

  private Object take(String check) {
    try {
      Object e = events.poll(StreamRecorder.TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (e == null) {
        throw new AssertionError(check + ": nothing arrived within " + StreamRecorder.TIMEOUT_SECONDS + " s");
      }
      return e;
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new AssertionError(check + ": interrupted");
    }
  }
}
