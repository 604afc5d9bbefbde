package dev.rill.internal;

import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2LocalFlowController;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2LocalFlowController;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;

/**
 * Rill's flow-control policy, shared by both sides. Inbound, stream windows are returned only as the
 * application consumes messages (so a slow reader slows its sender), while the connection window is
 * returned as bytes arrive, as grpc-go does: one stream whose reader stops must not stall every other
 * call on the connection. Memory per connection is thus bounded by concurrent streams times the stream
 * window.
 *
 * <p>Outbound, the connection window is shared among streams round-robin in whole-frame (16 KiB)
 * slices. gRPC sends no priorities, so Netty's default weighted-fair distributor buys nothing, and its
 * 1 KiB quantum cuts concurrent large messages into many small DATA frames that cost both peers a
 * frame header and a pass through the codec each.
 */
public final class Http2Windows {
  private Http2Windows() {}

  /** Smallest slice of the connection window one stream gets per turn: HTTP/2's default frame size. */
  static final int MIN_ALLOCATION_CHUNK = 16 * 1024;

  /**
   * A connection whose local flow controller refills the connection window on receipt and whose
   * remote flow controller hands out the peer's window in whole frames.
   */
  public static Http2Connection newConnection(boolean server) {
    DefaultHttp2Connection connection = new DefaultHttp2Connection(server);
    connection.local().flowController(new DefaultHttp2LocalFlowController(
        connection, DefaultHttp2LocalFlowController.DEFAULT_WINDOW_UPDATE_RATIO, true));
    UniformStreamByteDistributor distributor = new UniformStreamByteDistributor(connection);
    distributor.minAllocationChunk(MIN_ALLOCATION_CHUNK);
    connection.remote().flowController(new DefaultHttp2RemoteFlowController(connection, distributor));
    return connection;
  }

  /**
   * Raises the connection window from HTTP/2's initial 64 KiB to {@code window}. Call once, after
   * the connection preface went out (a WINDOW_UPDATE written before it is lost).
   */
  public static void raiseConnectionWindow(Http2Connection connection, int window) throws Http2Exception {
    Http2LocalFlowController flow = connection.local().flowController();
    int delta = window - flow.windowSize(connection.connectionStream());
    if (delta > 0) {
      flow.incrementWindowSize(connection.connectionStream(), delta);
    }
  }
}
