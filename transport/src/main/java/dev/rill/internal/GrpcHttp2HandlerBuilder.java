package dev.rill.internal;

import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * Netty's handler builder with what both sides of Rill always apply: the flow-control policy of
 * {@link Http2Windows} and every flood protection of {@link Http2Limits}. Server and client builders
 * extend it and add only what differs.
 */
public abstract class GrpcHttp2HandlerBuilder<T extends Http2ConnectionHandler, B extends GrpcHttp2HandlerBuilder<T, B>>
    extends AbstractHttp2ConnectionHandlerBuilder<T, B> {

  protected GrpcHttp2HandlerBuilder(boolean server, Http2Settings settings) {
    connection(Http2Windows.newConnection(server));
    initialSettings(settings);
    decoderEnforceMaxRstFramesPerWindow(Http2Limits.MAX_RST_FRAMES_PER_WINDOW, Http2Limits.RST_WINDOW_SECONDS);
    decoderEnforceMaxConsecutiveEmptyDataFrames(Http2Limits.MAX_CONSECUTIVE_EMPTY_DATA_FRAMES);
    encoderEnforceMaxQueuedControlFrames(Http2Limits.MAX_QUEUED_CONTROL_FRAMES);
    decoderEnforceMaxSmallContinuationFrames(Http2Limits.MAX_SMALL_CONTINUATION_FRAMES);
    if (!server) {
      // Netty caps RST_STREAMs *sent* per window for servers (a peer must not make us reset in a
      // loop); with a connection given explicitly it would apply that cap to clients too, and a
      // client cancelling many calls must not lose its connection for it.
      encoderEnforceMaxRstFramesPerWindow(0, 0);
    }
  }

  @Override
  public T build() {
    return super.build();
  }
}
