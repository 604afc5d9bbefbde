package dev.rill.client;

import dev.rill.Metadata;
import dev.rill.Status;

/**
 * The client side of one RPC, the primitive that stubs and interceptors build on.
 *
 * <p><b>Lifecycle.</b> {@link #start} once, then any number of {@link #request}, {@link #sendMessage}
 * and one {@link #halfClose}, in any interleaving; {@link #cancel} at any time. The listener then sees
 * {@link Listener#onHeaders} at most once, {@link Listener#onMessage} for each requested message, and
 * exactly one {@link Listener#onClose}, in that order.
 *
 * <p><b>Threading.</b> The methods may be called from any thread but not concurrently. Listener
 * callbacks run one at a time, in order, on the call's executor ({@link CallOptions#withExecutor}, by
 * default the channel's).
 *
 * <p><b>Flow control.</b> Responses arrive only as requested; the HTTP/2 window is returned as they
 * are consumed. {@link #isReady} turns false while more than a small threshold of sent bytes waits for
 * window; {@link Listener#onReady} fires when it turns true again.
 *
 * <p><b>Errors.</b> Every failure, local or remote, ends in {@link Listener#onClose} with a
 * {@link Status}: DEADLINE_EXCEEDED for the deadline, CANCELLED for {@link #cancel}, UNAVAILABLE for a
 * lost or refused connection, and the server's status otherwise.
 */
public abstract class ClientCall<ReqT, RespT> {

  /** Receives the events of a call. */
  public abstract static class Listener<RespT> {
    public void onHeaders(Metadata headers) {}

    public void onMessage(RespT message) {}

    /** The call ended; {@code trailers} is empty when the status was produced locally. */
    public void onClose(Status status, Metadata trailers) {}

    public void onReady() {}
  }

  /** Starts the call with {@code headers} as custom request metadata. */
  public abstract void start(Listener<RespT> listener, Metadata headers);

  /** Asks for {@code count} more response messages. */
  public abstract void request(int count);

  public abstract void sendMessage(ReqT message);

  /** No more messages will be sent. */
  public abstract void halfClose();

  /**
   * Cancels the call: the server is sent RST_STREAM(CANCEL) and the listener closes with CANCELLED
   * (unless the call already ended). Safe to call more than once.
   */
  public abstract void cancel(String message, Throwable cause);

  public abstract boolean isReady();

  /** Turns compression of subsequent messages on or off (on by default when the call has an encoding). */
  public abstract void setMessageCompression(boolean enabled);
}
