package dev.rill.client;

import dev.rill.CallStreamObserver;

/**
 * The request side of a client- or bidi-streaming call: sends requests, exposes flow control and can
 * cancel. Same threading rules as {@link dev.rill.StreamObserver}.
 */
public interface ClientCallStreamObserver<ReqT> extends CallStreamObserver<ReqT> {
  /** Cancels the call; the response observer gets {@code onError} with CANCELLED. */
  void cancel(String message, Throwable cause);
}
