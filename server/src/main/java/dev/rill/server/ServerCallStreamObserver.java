package dev.rill.server;

import dev.rill.CallStreamObserver;

/**
 * The response observer a stub-style handler gets: sends responses, exposes flow control, and
 * reports cancellation. Same threading rules as {@link dev.rill.StreamObserver}.
 */
public interface ServerCallStreamObserver<RespT> extends CallStreamObserver<RespT> {

  /** Whether the call was cancelled (client cancel, deadline, lost connection). */
  boolean isCancelled();

  /** Runs {@code handler} on the call's callback thread when the call is cancelled. */
  void setOnCancelHandler(Runnable handler);

  /** Compresses responses with {@code encoding} (e.g. "gzip") if the client accepts it. */
  void setCompression(String encoding);
}
