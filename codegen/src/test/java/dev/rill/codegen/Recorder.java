package dev.rill.codegen;

import dev.rill.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A response observer that collects what it gets; {@link #await()} waits for the end of the stream. */
final class Recorder<T> implements StreamObserver<T> {
  private final List<T> values = new ArrayList<>();
  private final CompletableFuture<List<T>> done = new CompletableFuture<>();

  @Override
  public synchronized void onNext(T value) {
    values.add(value);
  }

  @Override
  public synchronized void onError(Throwable t) {
    done.completeExceptionally(t);
  }

  @Override
  public synchronized void onCompleted() {
    done.complete(List.copyOf(values));
  }

  /** The values, once the stream completed; throws the stream's error (as the future's cause). */
  List<T> await() throws InterruptedException, ExecutionException, TimeoutException {
    return done.get(10, TimeUnit.SECONDS);
  }

  /** The stream's error, which must come. */
  Throwable awaitError() throws InterruptedException, TimeoutException {
    try {
      List<T> values = done.get(10, TimeUnit.SECONDS);
      throw new AssertionError("completed with " + values + " instead of failing");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }
}
