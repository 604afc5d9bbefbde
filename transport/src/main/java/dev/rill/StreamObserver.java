package dev.rill;

/**
 * Receives a stream of values: any number of {@link #onNext}, then exactly one of
 * {@link #onCompleted} or {@link #onError}.
 *
 * <p>Calls on one observer must not overlap: the caller serializes them. An observer handed out by
 * Rill (a request observer from a stub, a response observer in a handler) is not thread-safe either;
 * share it between threads only with your own locking.
 */
public interface StreamObserver<T> {
  void onNext(T value);

  /** Ends the stream with a failure; a {@link StatusException} keeps its status and trailers. */
  void onError(Throwable t);

  void onCompleted();
}
