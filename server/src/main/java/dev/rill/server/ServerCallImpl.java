package dev.rill.server;

import dev.rill.CallContext;
import dev.rill.Codec;
import dev.rill.Deadline;
import dev.rill.Metadata;
import dev.rill.MethodDescriptor;
import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.internal.Http2Limits;
import dev.rill.internal.ListenerOverrides;
import dev.rill.internal.MessageFramer;
import dev.rill.internal.SerializingExecutor;
import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The application half of a server call: frames and parses messages on the application's thread,
 * hands writes to the event loop through the connection's write queue, and runs the listener's
 * callbacks in order on a {@link SerializingExecutor}.
 *
 * <p>Threads: the public methods run on the application's thread (one at a time, per the
 * {@link ServerCall} contract); {@code messageArrived}, {@code halfClosed}, {@code completed} and
 * {@code cancelled} run on the event loop and only schedule callbacks.
 */
final class ServerCallImpl<ReqT, RespT> extends ServerCall<ReqT, RespT> {
  /** Cancels the context of a call that completed; one for all calls. */
  private static final Status COMPLETED = Status.CANCELLED.withDescription("server call completed");
  private static final ListenerOverrides ON_COMPLETE = new ListenerOverrides(Listener.class, "onComplete");
  private static final Logger log = Logger.getLogger(ServerCallImpl.class.getName());

  private final ServerStream stream;
  private final MethodDescriptor<ReqT, RespT> method;
  private final ServerConfig config;
  private final SerializingExecutor callbacks;
  private final CallContext.Cancellable context;
  private final Deadline deadline;
  private final String authority;
  private final SocketAddress remoteAddress;
  /** Bytes handed to the transport and not yet written to the socket. */
  private final AtomicInteger pendingBytes = new AtomicInteger();
  private volatile boolean cancelled;

  // Application-thread state.
  /**
   * Messages the transport requested before the handler started; its own first requests use them up.
   * Set on the event loop before the start callback is queued, so the queue publishes it.
   */
  private int grantedUpFront;
  private boolean closeCalled;
  private boolean messageSent;
  private Codec compressor;
  private AsciiString encodingName;
  private boolean messageCompression = true;

  // Callback-thread state.
  /** Volatile for {@link #completed}, which peeks at it from the event loop. */
  private volatile Listener<ReqT> listener;
  /** True only while onMessage runs for a message that arrived compressed. */
  private boolean deliveringCompressed;

  ServerCallImpl(ServerStream stream, MethodDescriptor<ReqT, RespT> method, long timeoutNanos,
      String authority, SocketAddress remoteAddress, ServerConfig config) {
    this.stream = stream;
    this.method = method;
    this.config = config;
    this.callbacks = new SerializingExecutor(config.executor != null ? config.executor : Runnable::run);
    this.deadline = timeoutNanos >= 0 ? Deadline.after(timeoutNanos, TimeUnit.NANOSECONDS) : null;
    this.context = CallContext.ROOT.withDeadline(deadline);
    this.authority = authority;
    this.remoteAddress = remoteAddress;
  }

  void start(ServerCallHandler<ReqT, RespT> handler, Metadata headers) {
    // Requested here, on the event loop, rather than by the handler from its thread: a request that
    // arrived in the same read as the headers then reaches the handler in the same executor hand-off.
    int upFront = ServerCalls.upFrontRequests(handler);
    grantedUpFront = upFront;
    schedule(() -> runCallback(() -> {
      Listener<ReqT> l = handler.startCall(this, headers);
      if (l == null) {
        throw new NullPointerException("startCall of " + method.fullMethodName() + " returned no listener");
      }
      listener = l;
    }));
    callback(l -> {
      if (isReady()) {
        l.onReady();
      }
    });
    if (upFront > 0) {
      stream.request(upFront);
    }
  }

  @Override
  public void request(int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("request: count must be positive, got " + count);
    }
    if (grantedUpFront > 0) {
      int taken = Math.min(count, grantedUpFront);
      grantedUpFront -= taken;
      count -= taken;
      if (count == 0) {
        return;
      }
    }
    int n = count;
    if (stream.inEventLoop()) {
      stream.request(n);
    } else {
      stream.enqueue(() -> stream.request(n));
    }
  }

  @Override
  public void sendHeaders(Metadata headers) {
    if (closeCalled) {
      throw new IllegalStateException("sendHeaders: call already closed");
    }
    AsciiString encoding = encodingName;
    stream.enqueue(() -> stream.writeHeaders(headers, encoding));
  }

  @Override
  public void sendMessage(RespT message) {
    if (closeCalled) {
      throw new IllegalStateException("sendMessage: call already closed");
    }
    if (messageSent && !method.type().serverStreams()) {
      throw new IllegalStateException("sendMessage: " + method.type() + " method sends one response");
    }
    messageSent = true;
    if (cancelled) {
      return;
    }
    ByteBuf framed = MessageFramer.frame(message, method.responseMarshaller(),
        messageCompression ? compressor : null, stream.ctx().alloc());
    int size = framed.readableBytes();
    pendingBytes.addAndGet(size);
    AsciiString encoding = encodingName;
    stream.enqueue(() -> stream.writeMessage(framed, encoding, () -> onWritten(size)));
  }

  @Override
  public void close(Status status, Metadata trailers) {
    if (closeCalled) {
      throw new IllegalStateException("close: call already closed");
    }
    closeCalled = true;
    Metadata t = trailers == null ? new Metadata() : trailers;
    stream.enqueue(() -> stream.writeTrailers(status, t));
  }

  @Override
  public boolean isReady() {
    return !cancelled && pendingBytes.get() < Http2Limits.ON_READY_THRESHOLD;
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public boolean isMessageCompressed() {
    return deliveringCompressed;
  }

  @Override
  public void setCompression(String encoding) {
    if (messageSent) {
      throw new IllegalStateException("setCompression: must be called before the first message");
    }
    Codec codec = config.codecs.get(encoding);
    if (codec == null) {
      throw new IllegalArgumentException("compression '" + encoding + "' is not registered on this server");
    }
    if (codec == Codec.IDENTITY || !accepts(stream.acceptEncoding, encoding)) {
      compressor = null;
      encodingName = null;
      return;
    }
    compressor = codec;
    encodingName = new AsciiString(encoding);
  }

  private static boolean accepts(CharSequence acceptEncoding, String encoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String token : acceptEncoding.toString().split(",")) {
      if (token.trim().equals(encoding)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    messageCompression = enabled;
  }

  @Override
  public MethodDescriptor<ReqT, RespT> method() {
    return method;
  }

  @Override
  public Deadline deadline() {
    return deadline;
  }

  @Override
  public CallContext context() {
    return context;
  }

  @Override
  public String authority() {
    return authority;
  }

  @Override
  public SocketAddress remoteAddress() {
    return remoteAddress;
  }

  /** Event loop: a message's bytes left for the socket (or were dropped). */
  private void onWritten(int size) {
    int after = pendingBytes.addAndGet(-size);
    if (after < Http2Limits.ON_READY_THRESHOLD && after + size >= Http2Limits.ON_READY_THRESHOLD && !cancelled) {
      callback(Listener::onReady);
    }
  }

  /** Event loop: a whole request message arrived; parsed on the callback thread. */
  void messageArrived(ByteBuf message, boolean compressed) {
    try {
      schedule(() -> deliver(message, compressed));
    } catch (RuntimeException e) {
      message.release();
      throw e;
    }
  }

  private void deliver(ByteBuf message, boolean compressed) {
    ReqT request;
    try {
      if (cancelled) {
        return;
      }
      request = parse(message, compressed);
    } catch (StatusException e) {
      fail(e.status());
      return;
    } finally {
      message.release();
    }
    if (request != null) {
      Listener<ReqT> l = listener;
      if (l != null) {
        deliveringCompressed = compressed;
        try {
          runCallback(() -> l.onMessage(request));
        } finally {
          deliveringCompressed = false;
        }
      }
    }
  }

  private ReqT parse(ByteBuf message, boolean compressed) {
    ByteBuf payload = message;
    if (compressed) {
      Codec codec = stream.decompressor;
      if (codec == null) {
        throw new StatusException(Status.INTERNAL.withDescription(
            "grpc frame: compressed flag set but the request declared no grpc-encoding"));
      }
      try {
        payload = codec.decompress(message, stream.ctx().alloc(), config.maxInboundMessageSize);
      } catch (Codec.MessageTooLargeException e) {
        throw new StatusException(Status.RESOURCE_EXHAUSTED.withDescription(
            "decompressed request exceeds the limit of " + config.maxInboundMessageSize + " bytes"));
      } catch (IOException e) {
        throw new StatusException(Status.INTERNAL.withDescription(
            codec.name() + ": cannot decompress request: " + e.getMessage()).withCause(e));
      }
    }
    try {
      return method.requestMarshaller().parse(payload);
    } catch (RuntimeException e) {
      throw new StatusException(Status.INTERNAL.withDescription(
          "cannot parse request: " + e.getMessage()).withCause(e));
    } finally {
      if (payload != message) {
        payload.release();
      }
    }
  }

  /** Event loop: the client half-closed and every message before was delivered. */
  void halfClosed() {
    callback(l -> {
      // A request that failed to parse has already cancelled the call: no half-close after that.
      if (!cancelled) {
        l.onHalfClose();
      }
    });
  }

  /** Event loop: the trailers were written. */
  void completed() {
    context.cancel(COMPLETED);
    // A listener not seen yet (its handler still starting) may override onComplete: schedule it.
    Listener<ReqT> l = listener;
    if (l == null || ON_COMPLETE.by(l)) {
      callback(Listener::onComplete);
    }
  }

  /** Event loop: the call ended without completing. */
  void cancelled(Status status) {
    cancelled = true;
    context.cancel(status);
    callback(Listener::onCancel);
  }

  /** The call failed on the callback thread (bad message): abort the stream, cancel the handler. */
  private void fail(Status status) {
    cancelled = true;
    stream.enqueue(() -> stream.abort(status));
  }

  /** Schedules a listener event; skipped if the handler never produced a listener. */
  private void callback(Consumer<Listener<ReqT>> event) {
    schedule(() -> {
      Listener<ReqT> l = listener;
      if (l != null) {
        runCallback(() -> event.accept(l));
      }
    });
  }

  /** Event loop: runs {@code task} on the callback executor, after the current socket read if any. */
  private void schedule(Runnable task) {
    stream.readBatch().execute(callbacks, task);
  }

  private void runCallback(Runnable task) {
    CallContext previous = context.attach();
    try {
      task.run();
    } catch (RuntimeException | Error t) {
      closeAfterThrow(t);
    } finally {
      context.detach(previous);
    }
  }

  private void closeAfterThrow(Throwable t) {
    if (closeCalled || cancelled) {
      log.log(Level.FINE, "callback threw after the call ended: " + method.fullMethodName(), t);
      return;
    }
    Status status = Status.fromThrowable(t);
    Metadata trailers = t instanceof StatusException ? ((StatusException) t).trailers() : new Metadata();
    if (status.code() == Status.Code.UNKNOWN && status.description() == null) {
      status = status.withDescription("application error processing RPC: " + t);
      log.log(Level.WARNING, "handler of " + method.fullMethodName() + " threw", t);
    }
    close(status, trailers);
  }
}
