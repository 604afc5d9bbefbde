package dev.rill.client;

import dev.rill.Status;
import dev.rill.internal.GrpcHttp2HandlerBuilder;
import dev.rill.internal.Http2Windows;
import dev.rill.internal.ReadBatch;
import dev.rill.internal.WriteQueue;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2CodecUtil;
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
import io.netty.handler.codec.http2.StreamBufferingEncoder;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A client connection's HTTP/2 handler: opens a stream per call (waiting for a slot when the server's
 * MAX_CONCURRENT_STREAMS is reached), routes frames to {@link ClientStream}s, and drains on GOAWAY.
 *
 * <p>Owned by the connection's event loop: every method runs there, except {@link #writeQueue()},
 * {@link #readBatch()} and {@link #isUsable()}, which any thread may call.
 */
final class ClientHandler extends Http2ConnectionHandler {
  private static final Logger log = Logger.getLogger(ClientHandler.class.getName());
  private final ClientConfig config;
  /** Streams by id, including those still buffered for a concurrency slot. */
  private final IntObjectMap<ClientStream> streams = new IntObjectHashMap<>();
  /** Completes when the server's first SETTINGS arrives; fails if the connection closes first. */
  final CompletableFuture<ClientHandler> ready = new CompletableFuture<>();
  private ChannelHandlerContext ctx;
  private volatile WriteQueue writeQueue;
  private volatile ReadBatch readBatch;
  private volatile boolean draining;
  private boolean closeWhenIdle;
  private Status goAwayStatus;
  private int goAwayLastStreamId = Integer.MAX_VALUE;

  private ClientHandler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings,
      ClientConfig config) {
    super(decoder, encoder, settings);
    this.config = config;
    decoder.frameListener(new Frames());
    connection().addListener(new Http2ConnectionAdapter() {
      @Override
      public void onStreamClosed(Http2Stream stream) {
        ClientStream s = streams.remove(stream.id());
        if (s != null) {
          s.streamClosed(closedStatus(stream.id()));
        }
        maybeCloseIdle();
      }

      @Override
      public void onGoAwayReceived(int lastStreamId, long errorCode, ByteBuf debugData) {
        goAwayLastStreamId = lastStreamId;
        Http2Error error = Http2Error.valueOf(errorCode);
        String debug = debugData.isReadable() ? ": " + debugData.toString(java.nio.charset.StandardCharsets.UTF_8) : "";
        goAwayStatus = Status.UNAVAILABLE.withDescription("server sent GOAWAY ("
            + (error != null ? error.name() : "code " + errorCode) + ", last stream " + lastStreamId + ")" + debug);
        draining = true;
        closeWhenIdle = true;
        // Netty closes the streams above lastStreamId after this; close once that has happened.
        ctx.executor().execute(ClientHandler.this::maybeCloseIdle);
      }
    });
  }

  static ClientHandler create(ClientConfig config) {
    return new Builder(config).build();
  }

  private static final class Builder extends GrpcHttp2HandlerBuilder<ClientHandler, Builder> {
    private final ClientConfig config;

    Builder(ClientConfig config) {
      super(false, new Http2Settings()
          .pushEnabled(false)
          .initialWindowSize(config.flowControlWindow)
          .maxHeaderListSize(config.maxHeaderListSize));
      this.config = config;
      // Calls beyond the server's MAX_CONCURRENT_STREAMS wait in a StreamBufferingEncoder.
      encoderEnforceMaxConcurrentStreams(true);
      gracefulShutdownTimeoutMillis(0);
    }

    @Override
    protected ClientHandler build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
        Http2Settings initialSettings) {
      return new ClientHandler(decoder, encoder, initialSettings, config);
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    this.writeQueue = new WriteQueue(ctx.channel());
    this.readBatch = new ReadBatch(ctx.executor());
    super.handlerAdded(ctx);
    if (ctx.channel().isActive()) {
      sendInitialConnectionWindow();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    // Plaintext adds this handler before the socket connects: the preface goes out now, and the window
    // update must follow it (written earlier, it would be dropped while the flow controller counted it).
    super.channelActive(ctx);
    sendInitialConnectionWindow();
  }

  /** Raises the connection window from HTTP/2's 64 KiB to the configured size, once, after the preface. */
  private void sendInitialConnectionWindow() {
    try {
      Http2Windows.raiseConnectionWindow(connection(), config.flowControlWindow);
    } catch (Http2Exception e) {
      onError(ctx, true, e);
    }
    ctx.flush();
  }

  WriteQueue writeQueue() {
    return writeQueue;
  }

  ReadBatch readBatch() {
    return readBatch;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    readBatch.during(() -> super.channelRead(ctx, msg));
  }

  ChannelHandlerContext ctx() {
    return ctx;
  }

  ClientConfig config() {
    return config;
  }

  /** Whether new calls may use this connection. */
  boolean isUsable() {
    return !draining && ctx != null && ctx.channel().isActive();
  }

  /** Stops taking new calls and closes once the last open call ends. */
  void shutdownWhenIdle() {
    draining = true;
    closeWhenIdle = true;
    maybeCloseIdle();
  }

  private void maybeCloseIdle() {
    if (closeWhenIdle && streams.isEmpty() && ctx.channel().isOpen()) {
      ctx.close();
    }
  }

  /** Opens the HTTP/2 stream of {@code stream}; it may wait for a concurrency slot. */
  void createStream(ClientStream stream, Http2Headers headers) {
    if (!ctx.channel().isActive() || connection().goAwayReceived()) {
      stream.transportFailed(goAwayStatus != null ? goAwayStatus
          : Status.UNAVAILABLE.withDescription("connection closed before the call started"));
      return;
    }
    int id = connection().local().incrementAndGetNextStreamId();
    if (id < 0) {
      draining = true;
      stream.transportFailed(Status.UNAVAILABLE.withDescription("stream ids exhausted on this connection"));
      return;
    }
    streams.put(id, stream);
    stream.bind(id);
    ChannelFuture f = encoder().writeHeaders(ctx, id, headers, 0, false, ctx.newPromise());
    f.addListener(written -> {
      if (!written.isSuccess()) {
        ClientStream s = streams.remove(id);
        if (s != null) {
          s.transportFailed(failureStatus(written.cause(), id));
        }
        maybeCloseIdle();
      }
    });
  }

  /** Returns {@code count} consumed bytes of stream {@code id} to the flow-control windows. */
  void returnBytes(int id, int count) {
    Http2Stream stream = connection().stream(id);
    if (stream == null) {
      return;
    }
    try {
      connection().local().flowController().consumeBytes(stream, count);
    } catch (Http2Exception e) {
      onError(ctx, true, e);
    }
  }

  private Status closedStatus(int id) {
    if (goAwayStatus != null && id > goAwayLastStreamId) {
      return goAwayStatus.augmentDescription("stream " + id + " was not processed");
    }
    return Status.UNAVAILABLE.withDescription("connection closed while the call was open");
  }

  private Status failureStatus(Throwable cause, int id) {
    if (cause instanceof StreamBufferingEncoder.Http2GoAwayException) {
      return closedStatus(Integer.MAX_VALUE);
    }
    return Status.UNAVAILABLE.withDescription("cannot start stream " + id + ": " + cause).withCause(cause);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
      super.exceptionCaught(ctx, cause);
      return;
    }
    // The socket or TLS failed (a reset, a TLS alert such as a refused client certificate): the
    // connection is unusable. Close it, failing its set-up with the reason if still pending, instead of
    // letting the exception reach the pipeline's tail, which logs it as a WARNING.
    log.log(Level.FINE, "connection error on " + ctx.channel(), cause);
    ready.completeExceptionally(cause);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    super.channelInactive(ctx);
    if (!streams.isEmpty()) {
      for (ClientStream s : new ArrayList<>(streams.values())) {
        s.streamClosed(Status.UNAVAILABLE.withDescription("connection closed while the call was open"));
      }
      streams.clear();
    }
  }

  @Override
  protected void onStreamError(ChannelHandlerContext ctx, boolean outbound, Throwable cause,
      Http2Exception.StreamException e) {
    ClientStream s = streams.get(e.streamId());
    if (s != null) {
      Status status = e instanceof Http2Exception.HeaderListSizeException
          ? Status.RESOURCE_EXHAUSTED.withDescription("response metadata exceeds the limit of "
              + config.maxHeaderListSize + " bytes")
          : Status.INTERNAL.withDescription("HTTP/2 stream error: " + e.getMessage());
      s.transportFailed(status.withCause(e));
    }
    super.onStreamError(ctx, outbound, cause, e);
  }

  /** Frame events from the decoder, on the event loop. */
  private final class Frames extends Http2EventAdapter {
    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
        boolean endStream) {
      ClientStream s = streams.get(streamId);
      if (s != null) {
        s.inboundHeaders(headers, endStream);
      }
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
        short weight, boolean exclusive, int padding, boolean endStream) {
      onHeadersRead(ctx, streamId, headers, padding, endStream);
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      ClientStream s = streams.get(streamId);
      if (s == null) {
        return data.readableBytes() + padding;
      }
      s.inboundData(data.retain(), endOfStream);
      return padding;
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      ClientStream s = streams.get(streamId);
      if (s != null) {
        s.reset(errorCode);
      }
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
      ready.complete(ClientHandler.this);
    }
  }
}
