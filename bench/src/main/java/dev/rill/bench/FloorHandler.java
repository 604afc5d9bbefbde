package dev.rill.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.AsciiString;

/**
 * The floor's HTTP/2 connection: answers every request with ready-made bytes and no gRPC logic at all
 * (no header validation, no routing table, no deframing, no protobuf, no executor), so its rate is
 * what the substrate allows on this machine. Three behaviours, picked by the end of {@code :path}:
 * StreamingCall answers each DATA frame with one canned message (the ping-pong client sends one small
 * message per frame); StreamingFromServer sends canned messages for as long as flow control allows
 * until the client resets the stream; anything else is unary, answered at the request's end.
 *
 * <p>Owned by the connection's event loop. Responses written while reading are flushed by
 * {@link Http2ConnectionHandler#channelReadComplete}, once per read, as Rill and grpc-java also batch.
 */
final class FloorHandler extends Http2ConnectionHandler {
  private static final AsciiString STATUS_200 = AsciiString.cached("200");
  private static final AsciiString CONTENT_TYPE = AsciiString.cached("content-type");
  private static final AsciiString APPLICATION_GRPC = AsciiString.cached("application/grpc");
  private static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
  private static final AsciiString ZERO = AsciiString.cached("0");
  private static final int FLOW_CONTROL_WINDOW = 1 << 20;

  private static final AsciiString STREAMING_FROM_SERVER = AsciiString.cached("/StreamingFromServer");
  private static final AsciiString STREAMING_CALL = AsciiString.cached("/StreamingCall");

  private enum Mode { UNARY, PING_PONG, SERVER_STREAMING }

  /** Shared by every stream: the encoder only reads header blocks. */
  private final Http2Headers responseHeaders = new DefaultHttp2Headers(false)
      .status(STATUS_200).add(CONTENT_TYPE, APPLICATION_GRPC);
  private final Http2Headers trailers = new DefaultHttp2Headers(false).add(GRPC_STATUS, ZERO);
  /** One framed message, duplicated for every write. */
  private final ByteBuf message;
  private final Http2Connection.PropertyKey modeKey;
  private final Http2Connection.PropertyKey headersSentKey;
  private ChannelHandlerContext ctx;

  private FloorHandler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings,
      ByteBuf message) {
    super(decoder, encoder, settings);
    this.message = message;
    this.modeKey = connection().newKey();
    this.headersSentKey = connection().newKey();
    decoder.frameListener(new Frames());
    encoder.flowController().listener(new Http2RemoteFlowController.Listener() {
      @Override
      public void writabilityChanged(Http2Stream stream) {
        if (stream.getProperty(modeKey) == Mode.SERVER_STREAMING && Boolean.TRUE.equals(stream.getProperty(headersSentKey))) {
          pump(stream);
          ctx.flush();
        }
      }
    });
  }

  /** A handler whose every response message is {@code message} (a framed gRPC message, shared). */
  static FloorHandler create(ByteBuf message) {
    return new Builder(message).build();
  }

  private static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<FloorHandler, Builder> {
    private final ByteBuf message;

    Builder(ByteBuf message) {
      this.message = message;
      server(true);
      // The same advertised limits as Rill's and grpc-java's servers.
      initialSettings(new Http2Settings().maxConcurrentStreams(1000).initialWindowSize(FLOW_CONTROL_WINDOW));
    }

    @Override
    protected FloorHandler build() {
      return super.build();
    }

    @Override
    protected FloorHandler build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
      return new FloorHandler(decoder, encoder, settings, message);
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    super.handlerAdded(ctx);
    // A 1 MiB connection window, as the gRPC servers open theirs.
    Http2Stream connectionStream = connection().connectionStream();
    int delta = FLOW_CONTROL_WINDOW - connection().local().flowController().windowSize(connectionStream);
    if (delta > 0) {
      connection().local().flowController().incrementWindowSize(connectionStream, delta);
      ctx.flush();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (cause instanceof java.io.IOException) {
      // A client that closes with unread responses resets the socket: routine at the end of every run.
      ctx.close();
      return;
    }
    super.exceptionCaught(ctx, cause);
  }

  private void headers(Http2Stream stream) {
    if (!Boolean.TRUE.equals(stream.getProperty(headersSentKey))) {
      stream.setProperty(headersSentKey, Boolean.TRUE);
      encoder().writeHeaders(ctx, stream.id(), responseHeaders, 0, false, ctx.voidPromise());
    }
  }

  private void writeMessage(Http2Stream stream) {
    encoder().writeData(ctx, stream.id(), message.retainedDuplicate(), 0, false, ctx.voidPromise());
  }

  private void finish(Http2Stream stream) {
    headers(stream);
    encoder().writeHeaders(ctx, stream.id(), trailers, 0, true, ctx.voidPromise());
  }

  /** Writes messages while the stream has window; resumes from writabilityChanged. */
  private void pump(Http2Stream stream) {
    Http2RemoteFlowController flow = encoder().flowController();
    while (stream.state().localSideOpen() && flow.isWritable(stream)) {
      writeMessage(stream);
    }
  }

  private void requestEnded(Http2Stream stream) {
    Mode mode = stream.getProperty(modeKey);
    if (mode == Mode.SERVER_STREAMING) {
      headers(stream);
      pump(stream);
    } else {
      if (mode == Mode.UNARY) {
        headers(stream);
        writeMessage(stream);
      }
      finish(stream);
    }
  }

  private static boolean endsWith(CharSequence path, AsciiString suffix) {
    return path != null && path.length() >= suffix.length()
        && AsciiString.regionMatches(path, false, path.length() - suffix.length(), suffix, 0, suffix.length());
  }

  private final class Frames extends Http2EventAdapter {
    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
        boolean endStream) {
      Http2Stream stream = connection().stream(streamId);
      if (stream.getProperty(modeKey) == null) {
        CharSequence path = headers.path();
        stream.setProperty(modeKey, endsWith(path, STREAMING_FROM_SERVER) ? Mode.SERVER_STREAMING
            : endsWith(path, STREAMING_CALL) ? Mode.PING_PONG : Mode.UNARY);
      }
      if (endStream) {
        requestEnded(stream);
      }
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
        short weight, boolean exclusive, int padding, boolean endStream) {
      onHeadersRead(ctx, streamId, headers, padding, endStream);
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      Http2Stream stream = connection().stream(streamId);
      if (stream.getProperty(modeKey) == Mode.PING_PONG && data.isReadable()) {
        headers(stream);
        writeMessage(stream);
      }
      if (endOfStream) {
        requestEnded(stream);
      }
      // Every byte counts as consumed at once: the window goes back without waiting for anything.
      return data.readableBytes() + padding;
    }
  }
}
