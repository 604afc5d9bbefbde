package dev.rill.server;

import dev.rill.Codec;
import dev.rill.Metadata;
import dev.rill.Status;
import dev.rill.internal.GrpcHeaders;
import dev.rill.internal.MessageDeframer;
import dev.rill.internal.MetadataCodec;
import dev.rill.internal.ReadBatch;
import dev.rill.internal.StatusCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.ReadOnlyHttp2Headers;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The transport half of a server call: one HTTP/2 stream's inbound deframing, outbound frames,
 * deadline timer and termination.
 *
 * <p>Owned by the connection's event loop: every method runs there. Invariants: once {@code done},
 * no frame is written and no event reaches the call; trailers are written at most once.
 */
final class ServerStream implements MessageDeframer.Listener {
  /** Never changed: only read by the encoders. */
  private static final Metadata EMPTY_METADATA = new Metadata();

  private final ServerHandler handler;
  private final ChannelHandlerContext ctx;
  private final Http2Stream h2;
  private final MessageDeframer deframer;
  /** Codec of inbound compressed messages, or null if the client declared none. */
  final Codec decompressor;
  /** The client's grpc-accept-encoding, or null. */
  final CharSequence acceptEncoding;
  private ServerCallImpl<?, ?> call;
  private ScheduledFuture<?> deadlineTimer;
  private boolean headersSent;
  private boolean trailersSent;
  private boolean endStreamReceived;
  private boolean done;

  ServerStream(ServerHandler handler, Http2Stream h2, Codec decompressor, CharSequence acceptEncoding) {
    this.handler = handler;
    this.ctx = handler.ctx();
    this.h2 = h2;
    this.decompressor = decompressor;
    this.acceptEncoding = acceptEncoding;
    this.deframer = new MessageDeframer(this, ctx.alloc(), handler.config().maxInboundMessageSize);
  }

  <ReqT, RespT> void start(ServiceDefinition.Method<ReqT, RespT> method, Metadata headers, long timeoutNanos,
      CharSequence authority) {
    ServerCallImpl<ReqT, RespT> c = new ServerCallImpl<>(this, method.descriptor(), timeoutNanos,
        authority == null ? null : authority.toString(), ctx.channel().remoteAddress(), handler.config());
    this.call = c;
    if (timeoutNanos >= 0) {
      deadlineTimer = ctx.executor().schedule(this::deadlineExceeded, timeoutNanos, TimeUnit.NANOSECONDS);
    }
    c.start(method.handler(), headers);
  }

  boolean inEventLoop() {
    return ctx.executor().inEventLoop();
  }

  void enqueue(Runnable command) {
    handler.writeQueue().enqueue(command);
  }

  ChannelHandlerContext ctx() {
    return ctx;
  }

  ReadBatch readBatch() {
    return handler.readBatch();
  }

  void inboundData(ByteBuf data, boolean endOfStream) {
    assert inEventLoop();
    if (endOfStream) {
      endStreamReceived = true;
    }
    deframer.deframe(data, endOfStream);
  }

  void request(int count) {
    assert inEventLoop();
    if (!done) {
      deframer.request(count);
    }
  }

  @Override
  public void messageRead(ByteBuf message, boolean compressed) {
    call.messageArrived(message, compressed);
  }

  @Override
  public void bytesRead(int count) {
    handler.returnBytes(h2, count);
  }

  @Override
  public void endOfStream() {
    call.halfClosed();
  }

  @Override
  public void deframeFailed(Status status) {
    abort(status);
  }

  void writeHeaders(Metadata metadata, AsciiString encoding) {
    assert inEventLoop();
    if (done || headersSent) {
      return;
    }
    headersSent = true;
    handler.encoder().writeHeaders(ctx, h2.id(), responseHeaders(metadata, encoding), 0, false, ctx.voidPromise());
  }

  /** The response header block; {@code metadata} null means none. */
  private Http2Headers responseHeaders(Metadata metadata, AsciiString encoding) {
    if ((metadata == null || metadata.isEmpty()) && encoding == null) {
      return handler.config().plainResponseHeaders;
    }
    AsciiString[] fields = MetadataCodec.fields(encoding == null ? 2 : 3,
        metadata == null ? EMPTY_METADATA : metadata);
    int i = 0;
    fields[i++] = GrpcHeaders.CONTENT_TYPE;
    fields[i++] = GrpcHeaders.CONTENT_TYPE_GRPC;
    if (encoding != null) {
      fields[i++] = GrpcHeaders.GRPC_ENCODING;
      fields[i++] = encoding;
    }
    fields[i++] = GrpcHeaders.GRPC_ACCEPT_ENCODING;
    fields[i] = handler.config().acceptEncoding;
    return ReadOnlyHttp2Headers.serverHeaders(false, GrpcHeaders.STATUS_200, fields);
  }

  /** Writes a framed message; {@code onWritten} runs when it left or was dropped. */
  void writeMessage(ByteBuf framed, AsciiString encoding, Runnable onWritten) {
    assert inEventLoop();
    if (done) {
      framed.release();
      onWritten.run();
      return;
    }
    if (!headersSent) {
      writeHeaders(null, encoding);
    }
    ChannelFuture f = handler.encoder().writeData(ctx, h2.id(), framed, 0, false, ctx.newPromise());
    f.addListener(ignored -> onWritten.run());
  }

  void writeTrailers(Status status, Metadata trailers) {
    assert inEventLoop();
    if (done || trailersSent) {
      return;
    }
    trailersSent = true;
    Http2Headers block = StatusCodec.encodeTrailers(status, trailers, !headersSent, handler.config().acceptEncoding);
    headersSent = true;
    ChannelFuture f = handler.encoder().writeHeaders(ctx, h2.id(), block, 0, true, ctx.newPromise());
    f.addListener(written -> {
      if (written.isSuccess()) {
        finish(null);
      } else {
        finish(Status.UNAVAILABLE.withDescription("sending trailers failed: " + written.cause())
            .withCause(written.cause()));
      }
    });
    handler.resetAfter(f, h2.id(), endStreamReceived);
  }

  /** The stream failed inside the transport: tell the client (if we still can) and cancel the call. */
  void abort(Status status) {
    assert inEventLoop();
    if (done) {
      return;
    }
    if (!trailersSent && h2.state().localSideOpen()) {
      trailersSent = true;
      Http2Headers block = StatusCodec.encodeTrailers(status, EMPTY_METADATA, !headersSent);
      ChannelFuture f = handler.encoder().writeHeaders(ctx, h2.id(), block, 0, true, ctx.newPromise());
      handler.resetAfter(f, h2.id(), endStreamReceived);
      ctx.flush();
    }
    finish(status);
  }

  /** The client or the connection ended the stream early. */
  void cancel(Status status) {
    finish(status);
  }

  private void deadlineExceeded() {
    deadlineTimer = null;
    if (done) {
      return;
    }
    Status status = Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded on the server");
    if (!trailersSent && h2.state().localSideOpen()) {
      trailersSent = true;
      handler.encoder().writeHeaders(ctx, h2.id(), StatusCodec.encodeTrailers(status, EMPTY_METADATA, !headersSent),
          0, true, ctx.newPromise());
    }
    // Only a client still sending needs the reset: once it half-closed, the END_STREAM trailers
    // (still unflushed, so the stream is not CLOSED yet) close the stream, and a RST_STREAM after
    // them would be a frame on a closed stream (RFC 9113 section 5.1).
    if (h2.state().remoteSideOpen()) {
      handler.resetStream(ctx, h2.id(), Http2Error.CANCEL.code(), ctx.newPromise());
    }
    ctx.flush();
    finish(status);
  }

  void onStreamClosed() {
    assert inEventLoop();
    if (!done && !trailersSent) {
      finish(Status.CANCELLED.withDescription(ctx.channel().isActive()
          ? "stream closed before the call completed" : "connection closed"));
    }
  }

  /** Ends the stream once: {@code failure} null means completed, else cancelled with it. */
  private void finish(Status failure) {
    assert inEventLoop();
    if (done) {
      return;
    }
    done = true;
    deframer.close();
    if (deadlineTimer != null) {
      deadlineTimer.cancel(false);
      deadlineTimer = null;
    }
    if (failure == null) {
      call.completed();
    } else {
      call.cancelled(failure);
    }
  }
}
