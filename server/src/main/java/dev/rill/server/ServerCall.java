package dev.rill.server;

import dev.rill.CallContext;
import dev.rill.Deadline;
import dev.rill.Metadata;
import dev.rill.MethodDescriptor;
import dev.rill.Status;
import java.net.SocketAddress;

/**
 * The server side of one RPC, as a handler or interceptor sees it.
 *
 * <p><b>Lifecycle.</b> Optionally {@link #sendHeaders} once, then any number of {@link #sendMessage}
 * (at most one for unary and client-streaming methods), then exactly one {@link #close}. Headers are
 * sent automatically before the first message; a call closed before any message answers with a
 * Trailers-Only response.
 *
 * <p><b>Threading.</b> The methods may be called from any thread, but not concurrently. The
 * {@link Listener} callbacks of one call run one at a time, in order, on the server's executor (or on
 * the event loop for a direct executor), with the call's {@link CallContext} attached.
 *
 * <p><b>Flow control.</b> Inbound messages arrive only as {@link #request requested}; the HTTP/2
 * window is returned as they are consumed, so a handler that stops requesting stops the client.
 * Outbound, {@link #isReady} turns false while more than a small threshold of sent bytes waits for
 * window, and {@link Listener#onReady} fires when it turns true again.
 *
 * <p><b>Errors.</b> After the client cancels, the deadline passes or the connection drops, the
 * listener gets {@link Listener#onCancel} once, and further sends are ignored.
 */
public abstract class ServerCall<ReqT, RespT> {

  /**
   * Receives the events of a call. Exactly one of {@link #onComplete} or {@link #onCancel} ends it.
   * Exceptions thrown from a callback close the call with UNKNOWN (or the status of a
   * {@link dev.rill.StatusException}).
   */
  public abstract static class Listener<ReqT> {
    public void onMessage(ReqT message) {}

    /** The client will send no more messages. */
    public void onHalfClose() {}

    /** The call was cancelled: by the client, the deadline or a lost connection. */
    public void onCancel() {}

    /** The call's final status reached the transport. */
    public void onComplete() {}

    /** The call can take more outbound messages without buffering. */
    public void onReady() {}
  }

  /** Asks for {@code count} more request messages. */
  public abstract void request(int count);

  /** Sends response headers with {@code headers} as custom metadata. */
  public abstract void sendHeaders(Metadata headers);

  public abstract void sendMessage(RespT message);

  /** Ends the call with {@code status} and {@code trailers}. */
  public abstract void close(Status status, Metadata trailers);

  public abstract boolean isReady();

  public abstract boolean isCancelled();

  /**
   * Whether the request message now being delivered to {@link Listener#onMessage} arrived compressed
   * (its gRPC frame had the compressed flag set). Meaningful only inside {@code onMessage}, on the
   * callback thread, so an interceptor can inspect each message as it passes; false at any other
   * time. A server needs this to check a peer's per-message compression, as gRPC's interop
   * {@code expect_compressed} does.
   */
  public abstract boolean isMessageCompressed();

  /** Compress responses with the named encoding (e.g. "gzip"), if the client accepts it. */
  public abstract void setCompression(String encoding);

  /** Turns compression of subsequent messages on or off (on by default once an encoding is set). */
  public abstract void setMessageCompression(boolean enabled);

  public abstract MethodDescriptor<ReqT, RespT> method();

  /** The client's deadline, or {@code null} if it sent none. */
  public abstract Deadline deadline();

  /** The context handlers run in; cancelled when the call is. */
  public abstract CallContext context();

  /** The {@code :authority} the client addressed. */
  public abstract String authority();

  public abstract SocketAddress remoteAddress();
}
