package dev.rill.interop;

import dev.rill.Status;
import dev.rill.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Records what a response observer receives, for a case to wait on and check. Thread-safe. */
final class StreamRecorder<T> implements StreamObserver<T> {
  /** How long a case waits for a call it expects to end; far above any healthy call's time. */
  static final long TIMEOUT_SECONDS = 60;

  private final List<T> values = new CopyOnWriteArrayList<>();
  private final CompletableFuture<T> first = new CompletableFuture<>();
  /** Completes with null on success, or the failure's status. */
  private final CompletableFuture<Status> done = new CompletableFuture<>();

  @Override
  public void onNext(T value) {
    values.add(value);
    first.complete(value);
  }

  @Override
  public void onError(Throwable t) {
    first.completeExceptionally(t);
    done.complete(Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    done.complete(null);
  }

  List<T> values() {
    return values;
  }

  /** Waits for the first value; fails the check if the call ended without one. */
  T awaitFirst(String check) {
    try {
      return first.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(check + ": call failed before its first response: " + Status.fromThrowable(e.getCause()));
    } catch (TimeoutException e) {
      throw new AssertionError(check + ": no response within " + TIMEOUT_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(check + ": interrupted");
    }
  }

  /** Waits for the end; returns null on success or the failure's status. */
  Status awaitEnd(String check) {
    try {
      return done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError(check + ": the call did not end within " + TIMEOUT_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(check + ": interrupted");
    }
  }

  /** Waits for the end and fails the check unless the call succeeded. */
  void awaitSuccess(String check) {
    Status failure = awaitEnd(check);
    if (failure != null) {
      throw new AssertionError(check + ": call failed: " + failure);
    }
  }

  /** Waits for the end and fails the check unless the call failed with {@code code}. */
  Status awaitFailure(Status.Code code, String check) {
    Status failure = awaitEnd(check);
    if (failure == null) {
      throw new AssertionError(check + ": expected " + code + " but the call succeeded");
    }
    Check.equal(code, failure.code(), check + " (status " + failure + ")");
    return failure;
  }

}
