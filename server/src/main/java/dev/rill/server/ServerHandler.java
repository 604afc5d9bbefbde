package dev.rill.server;

import dev.rill.Codec;
import dev.rill.Metadata;
import dev.rill.Status;
import dev.rill.internal.GrpcHeaders;
import dev.rill.internal.GrpcTimeout;
import dev.rill.internal.GrpcHttp2HandlerBuilder;
import dev.rill.internal.Http2Windows;
import dev.rill.internal.MetadataCodec;
import dev.rill.internal.ReadBatch;
import dev.rill.internal.StatusCodec;
import dev.rill.internal.WriteQueue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A server connection's HTTP/2 handler: validates each request's headers, routes it to a method and
 * feeds its frames to a {@link ServerStream}; runs the double-GOAWAY graceful shutdown.
 *
 * <p>Owned by the connection's event loop: every method runs there.
 */
final class ServerHandler extends Http2ConnectionHandler {
  private static final Logger log = Logger.getLogger(ServerHandler.class.getName());
  private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain; charset=utf-8");
  /** PING payload of the first GOAWAY's round trip. */
  private static final long GOAWAY_PING = 0x5249_4c4c_474f_4e45L;

  private final ServerConfig config;
  private final Http2Connection.PropertyKey streamKey;
  private ChannelHandlerContext ctx;
  private WriteQueue writeQueue;
  private ReadBatch readBatch;
  /** Set once graceful shutdown has started. */
  private boolean draining;
  private ScheduledFuture<?> pingTimeout;

  private ServerHandler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
      Http2Settings settings, ServerConfig config) {
    super(decoder, encoder, settings);
    this.config = config;
    this.streamKey = connection().newKey();
    decoder.frameListener(new Frames());
    connection().addListener(new Http2ConnectionAdapter() {
      @Override
      public void onStreamClosed(Http2Stream stream) {
        ServerStream s = stream.getProperty(streamKey);
        if (s != null) {
          s.onStreamClosed();
        }
      }
    });
  }

  /** A handler for one connection, built through Netty's builder so its flood protections apply. */
  static ServerHandler create(ServerConfig config) {
    return new Builder(config).build();
  }

  private static final class Builder extends GrpcHttp2HandlerBuilder<ServerHandler, Builder> {
    private final ServerConfig config;

    Builder(ServerConfig config) {
      super(true, new Http2Settings()
          .maxConcurrentStreams(config.maxConcurrentStreams)
          .initialWindowSize(config.flowControlWindow)
          .maxHeaderListSize(config.maxHeaderListSize));
      this.config = config;
      gracefulShutdownTimeoutMillis(config.gracefulShutdownMillis);
    }

    @Override
    protected ServerHandler build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
        Http2Settings initialSettings) {
      return new ServerHandler(decoder, encoder, initialSettings, config);
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    this.writeQueue = new WriteQueue(ctx.channel());
    this.readBatch = new ReadBatch(ctx.executor());
    super.handlerAdded(ctx);
    // Accepted channels are active before their handlers are added: the preface has just gone out.
    Http2Windows.raiseConnectionWindow(connection(), config.flowControlWindow);
    ctx.flush();
  }

  WriteQueue writeQueue() {
    return writeQueue;
  }

  ChannelHandlerContext ctx() {
    return ctx;
  }

  ReadBatch readBatch() {
    return readBatch;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    readBatch.during(() -> super.channelRead(ctx, msg));
  }

  ServerConfig config() {
    return config;
  }

  /** Returns {@code count} consumed bytes of {@code stream} to the flow-control windows. */
  void returnBytes(Http2Stream stream, int count) {
    try {
      connection().local().flowController().consumeBytes(stream, count);
    } catch (Http2Exception e) {
      onError(ctx, true, e);
    }
  }

  /**
   * Starts graceful shutdown: a GOAWAY announcing the end without refusing streams already in
   * flight, a PING to learn when the client has seen it, then the final GOAWAY with the last stream
   * id and a close that waits for open calls up to the grace period.
   */
  void startGracefulShutdown() {
    if (draining) {
      return; // already draining: a second shutdown() must not cut the grace period short
    }
    if (!ctx.channel().isActive()) {
      ctx.close();
      return;
    }
    draining = true;
    goAway(ctx, Integer.MAX_VALUE, Http2Error.NO_ERROR.code(), ctx.alloc().buffer(0), ctx.newPromise());
    encoder().writePing(ctx, false, GOAWAY_PING, ctx.newPromise());
    ctx.flush();
    pingTimeout = ctx.executor().schedule(this::finishGracefulShutdown, 10, TimeUnit.SECONDS);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (pingTimeout != null) {
      pingTimeout.cancel(false);
      pingTimeout = null;
    }
    super.channelInactive(ctx);
  }

  private void finishGracefulShutdown() {
    if (pingTimeout != null) {
      pingTimeout.cancel(false);
      pingTimeout = null;
    }
    // The client has seen the first GOAWAY: now name the last stream taken. Then close through the
    // pipeline (ctx.close() would skip this handler's own close()), so Http2ConnectionHandler waits
    // for the open streams up to the grace period before closing.
    goAway(ctx, connection().remote().lastStreamCreated(), Http2Error.NO_ERROR.code(), ctx.alloc().buffer(0),
        ctx.newPromise());
    ctx.channel().close();
  }

  /** Closes the connection at once: open calls are cancelled. */
  void forceClose() {
    gracefulShutdownTimeoutMillis(0);
    ctx.channel().close(); // through this handler's close(): a GOAWAY first, unless one was sent
  }

  @Override
  protected void onStreamError(ChannelHandlerContext ctx, boolean outbound, Throwable cause,
      Http2Exception.StreamException e) {
    Http2Stream stream = connection().stream(e.streamId());
    ServerStream s = stream == null ? null : stream.getProperty(streamKey);
    if (s != null) {
      s.cancel(Status.INTERNAL.withDescription("HTTP/2 stream error: " + e.getMessage()).withCause(e));
    }
    super.onStreamError(ctx, outbound, cause, e);
  }

  @Override
  protected void handleServerHeaderDecodeSizeError(ChannelHandlerContext ctx, Http2Stream stream) {
    Status status = Status.RESOURCE_EXHAUSTED.withDescription(
        "request metadata exceeds the limit of " + config.maxHeaderListSize + " bytes");
    encoder().writeHeaders(ctx, stream.id(), StatusCodec.encodeTrailers(status, new Metadata(), true),
        0, true, ctx.newPromise());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    log.log(Level.FINE, "connection error on " + ctx.channel(), cause);
    if (cause instanceof java.io.IOException) {
      // The socket failed (typically the peer reset it): nothing can be sent; close quietly instead
      // of letting the exception reach the pipeline's tail, which logs it as a WARNING.
      ctx.close();
      return;
    }
    super.exceptionCaught(ctx, cause);
  }

  private void onRequestHeaders(int streamId, Http2Headers headers, boolean endStream) throws Http2Exception {
    Http2Stream h2 = connection().stream(streamId);
    ServerStream existing = h2.getProperty(streamKey);
    if (existing != null) {
      // Headers after the request headers can only be trailers, which gRPC clients never send.
      if (!endStream) {
        throw Http2Exception.streamError(streamId, Http2Error.PROTOCOL_ERROR,
            "second header block without END_STREAM");
      }
      existing.inboundData(ctx.alloc().buffer(0), true);
      return;
    }
    if (h2.isHeadersSent()) {
      // Trailers of a request already answered at once (rejected): not a new request. Answering
      // again would write a second response, which Netty's encoder fails as a connection error.
      return;
    }
    CharSequence method = headers.method();
    if (!AsciiString.contentEquals(GrpcHeaders.POST, method)) {
      respondHttpError(streamId, endStream, 405, Status.INTERNAL,
          "method '" + method + "' is not allowed: gRPC requires POST");
      return;
    }
    CharSequence contentType = headers.get(GrpcHeaders.CONTENT_TYPE);
    if (!GrpcHeaders.isGrpcContentType(contentType)) {
      respondHttpError(streamId, endStream, 415, Status.INTERNAL,
          contentType == null ? "missing content-type: gRPC requires application/grpc[+proto]"
              : "content-type '" + contentType + "' is not a gRPC content type (application/grpc[+proto])");
      return;
    }
    CharSequence path = headers.path();
    ServiceDefinition.Method<?, ?> target = path == null ? null : config.methods.get(AsciiString.of(path));
    if (target == null) {
      respondWithStatus(streamId, endStream, Status.UNIMPLEMENTED.withDescription(unknownMethod(path)));
      return;
    }
    long timeoutNanos = -1;
    CharSequence timeout = headers.get(GrpcHeaders.GRPC_TIMEOUT);
    Codec decompressor = null;
    Metadata metadata;
    try {
      if (timeout != null) {
        timeoutNanos = GrpcTimeout.decode(timeout);
      }
      CharSequence encoding = headers.get(GrpcHeaders.GRPC_ENCODING);
      if (encoding != null && !AsciiString.contentEquals("identity", encoding)) {
        decompressor = config.codecs.get(encoding.toString());
        if (decompressor == null) {
          respondWithStatus(streamId, endStream, Status.UNIMPLEMENTED.withDescription(
              "grpc-encoding '" + encoding + "' is not supported (accepted: " + config.acceptEncoding + ")"));
          return;
        }
      }
      metadata = MetadataCodec.fromHeaders(headers);
    } catch (IllegalArgumentException e) {
      respondWithStatus(streamId, endStream, Status.INTERNAL.withDescription(e.getMessage()));
      return;
    }
    ServerStream stream = new ServerStream(this, h2, decompressor, headers.get(GrpcHeaders.GRPC_ACCEPT_ENCODING));
    h2.setProperty(streamKey, stream);
    stream.start(target, metadata, timeoutNanos, headers.authority());
    if (endStream) {
      stream.inboundData(ctx.alloc().buffer(0), true);
    }
  }

  private String unknownMethod(CharSequence path) {
    String p = path == null ? "" : path.toString();
    int slash = p.lastIndexOf('/');
    if (!p.startsWith("/") || slash <= 0) {
      return "malformed :path '" + p + "': expected /package.Service/Method";
    }
    String service = p.substring(1, slash);
    return config.serviceNames.contains(service)
        ? "unknown method " + p.substring(slash + 1) + " for service " + service
        : "unknown service " + service;
  }

  /** Answers a stream at once with a Trailers-Only response. */
  private void respondWithStatus(int streamId, boolean endStreamReceived, Status status) {
    Http2Headers trailers = StatusCodec.encodeTrailers(status, new Metadata(), true, config.acceptEncoding);
    ChannelFuture f = encoder().writeHeaders(ctx, streamId, trailers, 0, true, ctx.newPromise());
    resetAfter(f, streamId, endStreamReceived);
  }

  /** Answers a request that is not gRPC with an HTTP error, body included for humans. */
  private void respondHttpError(int streamId, boolean endStreamReceived, int httpStatus, Status status, String message) {
    Http2Headers headers = new DefaultHttp2Headers(false)
        .status(AsciiString.of(Integer.toString(httpStatus)))
        .set(GrpcHeaders.CONTENT_TYPE, TEXT_PLAIN)
        .setInt(GrpcHeaders.GRPC_STATUS, status.code().value())
        .set(GrpcHeaders.GRPC_MESSAGE, AsciiString.of(dev.rill.internal.PercentCodec.encode(message)));
    encoder().writeHeaders(ctx, streamId, headers, 0, false, ctx.newPromise());
    ByteBuf body = ByteBufUtil.writeUtf8(ctx.alloc(), message + "\n");
    ChannelFuture f = encoder().writeData(ctx, streamId, body, 0, true, ctx.newPromise());
    resetAfter(f, streamId, endStreamReceived);
  }

  /**
   * Once a complete response is out, a client still sending is told to stop with RST_STREAM(NO_ERROR)
   * (RFC 9113 section 8.1), so the stream does not hold a concurrency slot.
   */
  void resetAfter(ChannelFuture responseWritten, int streamId, boolean endStreamReceived) {
    if (endStreamReceived) {
      return;
    }
    responseWritten.addListener(f -> {
      Http2Stream s = connection().stream(streamId);
      if (f.isSuccess() && s != null && s.state().remoteSideOpen()) {
        resetStream(ctx, streamId, Http2Error.NO_ERROR.code(), ctx.newPromise());
        ctx.flush();
      }
    });
  }

  /** Frame events from the decoder, on the event loop. */
  private final class Frames extends Http2EventAdapter {
    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
        boolean endStream) throws Http2Exception {
      onRequestHeaders(streamId, headers, endStream);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
        short weight, boolean exclusive, int padding, boolean endStream) throws Http2Exception {
      onRequestHeaders(streamId, headers, endStream);
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      Http2Stream h2 = connection().stream(streamId);
      ServerStream s = h2 == null ? null : h2.getProperty(streamKey);
      if (s == null) {
        // A stream already answered (rejected request): its bytes are discarded at once.
        return data.readableBytes() + padding;
      }
      s.inboundData(data.retain(), endOfStream);
      return padding;
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      Http2Stream h2 = connection().stream(streamId);
      ServerStream s = h2 == null ? null : h2.getProperty(streamKey);
      if (s != null) {
        Http2Error error = Http2Error.valueOf(errorCode);
        s.cancel(Status.CANCELLED.withDescription(
            "client reset the stream with " + (error != null ? error.name() : "code " + errorCode)));
      }
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext ctx, long data) {
      if (draining && data == GOAWAY_PING) {
        finishGracefulShutdown();
      }
    }
  }
}
