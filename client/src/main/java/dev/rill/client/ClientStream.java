package dev.rill.client;

import dev.rill.Codec;
import dev.rill.Metadata;
import dev.rill.Status;
import dev.rill.internal.GrpcHeaders;
import dev.rill.internal.MessageDeframer;
import dev.rill.internal.MetadataCodec;
import dev.rill.internal.StatusCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.AsciiString;

/**
 * The transport half of a client call: one HTTP/2 stream's request frames, response validation,
 * deframing and termination.
 *
 * <p>Owned by the connection's event loop once {@link #attach attached}; before that (no connection
 * yet) only the call's binding lock touches it. Invariants: after {@code done} nothing is written and
 * no event reaches the call; the call hears exactly one close from here.
 */
final class ClientStream implements MessageDeframer.Listener {
  private final ClientCallImpl<?, ?> call;
  private ClientHandler handler;
  private ChannelHandlerContext ctx;
  private MessageDeframer deframer;
  /** Stream id once assigned; -1 before. */
  private int id = -1;
  private boolean headersReceived;
  /** Status from the trailers, held until buffered messages are delivered. */
  private Status trailerStatus;
  private Metadata trailerMetadata;
  private boolean done;
  /** Demand asked for before the stream had a deframer. */
  private int earlyDemand;

  ClientStream(ClientCallImpl<?, ?> call) {
    this.call = call;
  }

  /** Binds to a connection; runs on its event loop. */
  void attach(ClientHandler handler) {
    this.handler = handler;
    this.ctx = handler.ctx();
    this.deframer = new MessageDeframer(this, ctx.alloc(), handler.config().maxInboundMessageSize);
  }

  /** The event loop once attached; before that the call's binding lock serializes access. */
  private boolean onOwnerThread() {
    return ctx == null || ctx.executor().inEventLoop();
  }

  void bind(int id) {
    this.id = id;
  }

  void start(Http2Headers headers) {
    assert onOwnerThread();
    if (done) {
      return;
    }
    handler.createStream(this, headers);
    if (!done) {
      if (earlyDemand > 0) {
        deframer.request(earlyDemand);
        earlyDemand = 0;
      }
      call.streamStarted();
    }
  }

  void request(int count) {
    assert onOwnerThread();
    if (done) {
      return;
    }
    if (deframer == null) {
      earlyDemand += count;
    } else {
      deframer.request(count);
    }
  }

  /** Writes a framed message, with END_STREAM if {@code endOfStream} (the call half-closed after it). */
  void writeMessage(ByteBuf framed, boolean endOfStream, Runnable onWritten) {
    assert onOwnerThread();
    if (done || id < 0) {
      framed.release();
      onWritten.run();
      return;
    }
    handler.encoder().writeData(ctx, id, framed, 0, endOfStream, ctx.newPromise())
        .addListener(f -> onWritten.run());
  }

  void halfClose() {
    assert onOwnerThread();
    if (done || id < 0) {
      return;
    }
    handler.encoder().writeData(ctx, id, Unpooled.EMPTY_BUFFER, 0, true, ctx.newPromise());
  }

  /** Ends the call locally: RST_STREAM(CANCEL) to the server, {@code status} to the call. */
  void cancel(Status status) {
    if (done) {
      return;
    }
    finish(status, new Metadata(), Reset.IF_OPEN);
  }

  void inboundHeaders(Http2Headers headers, boolean endStream) {
    assert onOwnerThread();
    if (done) {
      return;
    }
    if (headersReceived) {
      if (!endStream) {
        cancel(Status.INTERNAL.withDescription("server sent a second header block without END_STREAM"));
        return;
      }
      onTrailers(headers);
      return;
    }
    headersReceived = true;
    CharSequence httpStatus = headers.status();
    if (httpStatus == null || !AsciiString.contentEquals(GrpcHeaders.STATUS_200, httpStatus)) {
      Status status = httpStatus == null
          ? Status.INTERNAL.withDescription("response headers without :status")
          : StatusCodec.fromHttpStatus(httpStatus);
      failResponse(status, endStream);
      return;
    }
    CharSequence contentType = headers.get(GrpcHeaders.CONTENT_TYPE);
    if (!GrpcHeaders.isGrpcContentType(contentType)) {
      failResponse(Status.UNKNOWN.withDescription("response content-type '" + contentType + "' is not gRPC"),
          endStream);
      return;
    }
    if (endStream) {
      onTrailers(headers);
      return;
    }
    CharSequence encoding = headers.get(GrpcHeaders.GRPC_ENCODING);
    if (encoding != null && !AsciiString.contentEquals("identity", encoding)) {
      Codec codec = handler.config().codecs.get(encoding.toString());
      if (codec == null) {
        cancel(Status.INTERNAL.withDescription("response grpc-encoding '" + encoding + "' is not supported"));
        return;
      }
      call.decompressor(codec);
    }
    Metadata metadata;
    try {
      metadata = MetadataCodec.fromHeaders(headers);
    } catch (IllegalArgumentException e) {
      cancel(Status.INTERNAL.withDescription("bad response headers: " + e.getMessage()));
      return;
    }
    call.headersRead(metadata);
  }

  private void failResponse(Status status, boolean endStream) {
    if (endStream) {
      finish(status, new Metadata(), Reset.IF_SENDING);
    } else {
      cancel(status);
    }
  }

  private void onTrailers(Http2Headers headers) {
    Status status = StatusCodec.decodeStatus(headers);
    Metadata metadata;
    try {
      metadata = MetadataCodec.fromHeaders(headers);
    } catch (IllegalArgumentException e) {
      metadata = new Metadata();
      status = Status.INTERNAL.withDescription("bad response trailers: " + e.getMessage());
    }
    trailerStatus = status;
    trailerMetadata = metadata;
    deframer.endOfStream();
  }

  void inboundData(ByteBuf data, boolean endOfStream) {
    assert onOwnerThread();
    if (done) {
      data.release();
      return;
    }
    if (!headersReceived) {
      data.release();
      cancel(Status.INTERNAL.withDescription("server sent DATA before response headers"));
      return;
    }
    deframer.deframe(data, false);
    if (endOfStream && !done) {
      finish(Status.INTERNAL.withDescription("server ended the stream without trailers"), new Metadata(),
          Reset.IF_SENDING);
    }
  }

  void reset(long errorCode) {
    if (!done && trailerStatus == null) {
      finish(StatusCodec.fromRstStream(errorCode), new Metadata(), Reset.NEVER);
    }
  }

  /** The HTTP/2 stream closed (or the connection did). */
  void streamClosed(Status status) {
    if (!done && trailerStatus == null) {
      finish(status, new Metadata(), Reset.NEVER);
    }
  }

  /** The stream could not be opened or failed in the transport. */
  void transportFailed(Status status) {
    finish(status, new Metadata(), Reset.NEVER);
  }

  @Override
  public void messageRead(ByteBuf message, boolean compressed) {
    call.messageArrived(message, compressed);
  }

  @Override
  public void bytesRead(int count) {
    handler.returnBytes(id, count);
  }

  @Override
  public void endOfStream() {
    if (trailerStatus != null) {
      finish(trailerStatus, trailerMetadata, Reset.IF_SENDING);
    }
  }

  @Override
  public void deframeFailed(Status status) {
    cancel(status);
  }

  /** When ending a call sends RST_STREAM(CANCEL). */
  private enum Reset {
    /** The stream is already closing (peer reset, connection loss, Netty's own stream error). */
    NEVER,
    /** The server answered in full: reset only if the request side is still open. */
    IF_SENDING,
    /** Local cancellation: reset unless the stream is closed. */
    IF_OPEN
  }

  private void finish(Status status, Metadata trailers, Reset reset) {
    assert onOwnerThread();
    if (done) {
      return;
    }
    done = true;
    if (deframer != null) {
      deframer.close();
    }
    resetIfOpen(reset);
    call.closedByTransport(status, trailers);
  }

  /**
   * Sends RST_STREAM(CANCEL) when the call is cancelled while its stream is open, or ends while the
   * request side is still open (the server answered before the client finished sending).
   */
  private void resetIfOpen(Reset reset) {
    if (reset == Reset.NEVER || id < 0 || handler == null) {
      return;
    }
    Http2Stream stream = handler.connection().stream(id);
    boolean buffered = stream == null && handler.connection().local().lastStreamCreated() < id;
    boolean open = stream != null
        && (reset == Reset.IF_OPEN ? stream.state() != Http2Stream.State.CLOSED : stream.state().localSideOpen());
    if (buffered || open) {
      handler.encoder().writeRstStream(ctx, id, Http2Error.CANCEL.code(), ctx.newPromise());
      ctx.flush();
    }
  }
}
