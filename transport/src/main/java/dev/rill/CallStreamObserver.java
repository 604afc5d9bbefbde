package dev.rill;

/**
 * A {@link StreamObserver} that sends on an RPC and exposes its flow control: producers that check
 * {@link #isReady()} and resume from the on-ready handler never buffer more than the HTTP/2 window
 * plus a small margin.
 *
 * <p>Same threading rules as {@link StreamObserver}. The on-ready handler runs on the call's executor,
 * serialized with the call's other callbacks.
 */
public interface CallStreamObserver<T> extends StreamObserver<T> {

  /** Whether a message sent now would go out without waiting for flow-control window. */
  boolean isReady();

  /** Runs {@code handler} each time the stream becomes ready again after {@link #isReady()} was false. */
  void setOnReadyHandler(Runnable handler);

  /**
   * Stops automatic inbound flow control: from now on the peer sends only as many messages as
   * {@link #request(int)} asks for. Must be called before the call starts receiving (in the handler
   * or the stub's start callback).
   */
  void disableAutoRequest();

  /** Asks for {@code count} more inbound messages (only meaningful after {@link #disableAutoRequest()}). */
  void request(int count);

  /** Turns compression of outbound messages on or off (on by default when the call has an encoding). */
  void setMessageCompression(boolean enable);
}
