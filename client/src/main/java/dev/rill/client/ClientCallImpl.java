package dev.rill.client;

import dev.rill.CallContext;
import dev.rill.Codec;
import dev.rill.Deadline;
import dev.rill.Metadata;
import dev.rill.MethodDescriptor;
import dev.rill.Status;
import dev.rill.internal.GrpcTimeout;
import dev.rill.internal.Http2Limits;
import dev.rill.internal.ListenerOverrides;
import dev.rill.internal.MessageFramer;
import dev.rill.internal.ReadBatch;
import dev.rill.internal.SerializingExecutor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The application half of a client call: builds request headers, frames and parses messages on the
 * application's thread, queues transport commands (held until a connection is bound), enforces the
 * deadline and reports exactly one close.
 *
 * <p>Threads: public methods on the application's thread (one at a time); {@code streamStarted},
 * {@code headersRead}, {@code messageArrived} and {@code closedByTransport} on the event loop;
 * listener callbacks on a {@link SerializingExecutor} over the call's executor.
 */
final class ClientCallImpl<ReqT, RespT> extends ClientCall<ReqT, RespT> {
  private static final Logger log = Logger.getLogger(ClientCallImpl.class.getName());
  private static final ListenerOverrides ON_READY = new ListenerOverrides(Listener.class, "onReady");

  private final ClientChannel channel;
  private final ClientConfig config;
  private final MethodDescriptor<ReqT, RespT> method;
  private final CallOptions options;
  private final SerializingExecutor callbacks;
  private final CallContext context;
  private final ClientStream stream = new ClientStream(this);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger pendingBytes = new AtomicInteger();
  private final Runnable contextCancelled = () -> cancelWith(contextStatus());

  /** Guards binding: commands queue in {@code pending} until a connection is bound. */
  private final Object bindLock = new Object();
  private List<Runnable> pending = new ArrayList<>();
  private ClientHandler handler;
  /** The bound connection's read batch; null until bound. */
  private volatile ReadBatch readBatch;
  private volatile boolean streamStarted;

  private ScheduledFuture<?> deadlineTimer;
  private volatile Codec decompressor;

  // Application-thread state.
  private boolean started;
  private boolean halfClosed;
  /** The last message write, which a half-close folds into while it is still queued. */
  private MessageWrite lastWrite;
  private Codec compressor;
  private boolean messageCompression = true;

  // Callback-thread state.
  private Listener<RespT> listener;
  private boolean closeDelivered;
  /**
   * A failure found on the callback thread (a response that cannot be decompressed or parsed, a listener
   * that threw). It wins over the transport's status: the server's OK trailers usually arrive before
   * the callback thread gets to the message.
   */
  private Status callbackFailure;

  ClientCallImpl(ClientChannel channel, ClientConfig config, MethodDescriptor<ReqT, RespT> method,
      CallOptions options) {
    this.channel = channel;
    this.config = config;
    this.method = method;
    this.options = options;
    this.callbacks = new SerializingExecutor(options.executor() != null ? options.executor() : config.executor);
    this.context = CallContext.current();
  }

  @Override
  public void start(Listener<RespT> listener, Metadata headers) {
    if (started) {
      throw new IllegalStateException("start: call already started");
    }
    started = true;
    this.listener = listener;
    if (context.isCancelled()) {
      closeLocally(contextStatus());
      return;
    }
    Deadline deadline = options.deadline() == null ? context.deadline() : options.deadline().earliest(context.deadline());
    if (deadline != null && deadline.isExpired()) {
      closeLocally(Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded before the call started"));
      return;
    }
    if (options.compression() != null && !"identity".equals(options.compression())) {
      compressor = config.codecs.get(options.compression());
      if (compressor == null) {
        closeLocally(Status.INTERNAL.withDescription(
            "compression '" + options.compression() + "' is not registered on this channel"));
        return;
      }
    }
    Http2Headers requestHeaders = requestHeaders(headers, deadline);
    if (deadline != null) {
      long nanos = deadline.remainingNanos();
      deadlineTimer = config.group.next().schedule(
          () -> cancelWith(Status.DEADLINE_EXCEEDED.withDescription(
              "deadline exceeded after " + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms")),
          nanos, TimeUnit.NANOSECONDS);
    }
    context.addListener(contextCancelled);
    run(() -> stream.start(requestHeaders));
    CompletableFuture<ClientHandler> connection = channel.acquireConnection();
    if (connection.isDone() && !connection.isCompletedExceptionally()) {
      bind(connection.join());
    } else {
      connection.whenComplete((h, failure) -> {
        if (failure != null) {
          bindFailed(Status.fromThrowable(failure).code() == Status.Code.UNKNOWN
              ? Status.UNAVAILABLE.withDescription(failure.getMessage()).withCause(failure)
              : Status.fromThrowable(failure));
        } else {
          bind(h);
        }
      });
    }
  }

  private Http2Headers requestHeaders(Metadata metadata, Deadline deadline) {
    return config.requestHeaders.forCall(method.path(), metadata, options.headers(),
        deadline == null ? null : new AsciiString(GrpcTimeout.encode(deadline.remainingNanos())),
        compressor == null ? null : new AsciiString(compressor.name()));
  }

  /** Runs {@code command} on the connection's event loop, or holds it until one is bound. */
  private void run(Runnable command) {
    ClientHandler h;
    synchronized (bindLock) {
      if (pending != null) {
        pending.add(command);
        return;
      }
      h = handler;
    }
    if (h == null) {
      command.run();
    } else {
      h.writeQueue().enqueue(command);
    }
  }

  private void bind(ClientHandler h) {
    synchronized (bindLock) {
      if (pending == null) {
        return;
      }
      handler = h;
      readBatch = h.readBatch();
      h.writeQueue().enqueue(() -> stream.attach(h));
      for (Runnable command : pending) {
        h.writeQueue().enqueue(command);
      }
      pending = null;
    }
  }

  /** No connection: fail the call; queued commands run against the dead stream to free their buffers. */
  private void bindFailed(Status status) {
    closedByTransport(status, new Metadata());
    synchronized (bindLock) {
      if (pending == null) {
        return;
      }
      stream.transportFailed(status);
      for (Runnable command : pending) {
        command.run();
      }
      pending = null;
    }
  }

  @Override
  public void request(int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("request: count must be positive, got " + count);
    }
    run(() -> stream.request(count));
  }

  @Override
  public void sendMessage(ReqT message) {
    if (!started || halfClosed) {
      throw new IllegalStateException(started ? "sendMessage: already half-closed" : "sendMessage: call not started");
    }
    lastWrite = null;
    if (closed.get()) {
      return;
    }
    ByteBuf framed = MessageFramer.frame(message, method.requestMarshaller(),
        messageCompression ? compressor : null, ByteBufAllocator.DEFAULT);
    int size = framed.readableBytes();
    pendingBytes.addAndGet(size);
    MessageWrite write = new MessageWrite(framed, size);
    lastWrite = write;
    run(write);
  }

  @Override
  public void halfClose() {
    if (!started || halfClosed) {
      throw new IllegalStateException(started ? "halfClose: already half-closed" : "halfClose: call not started");
    }
    halfClosed = true;
    MessageWrite last = lastWrite;
    lastWrite = null;
    // Never fold into a write once the call is cancelled: a forced flush between the message and the
    // reset would show the server a complete request the application had already given up on.
    if (last == null || closed.get() || !last.compareAndSet(MessageWrite.QUEUED, MessageWrite.LAST)) {
      run(stream::halfClose);
    }
  }

  @Override
  public void cancel(String message, Throwable cause) {
    Status status = Status.CANCELLED.withDescription(message == null ? "call cancelled" : message).withCause(cause);
    if (!started) {
      return;
    }
    cancelWith(status);
  }

  private void cancelWith(Status status) {
    if (closeLocally(status)) {
      run(() -> stream.cancel(status));
    }
  }

  private Status contextStatus() {
    Status s = context.cancellationStatus();
    return Status.CANCELLED.withDescription("parent call cancelled" + (s == null ? "" : ": " + s)).withCause(
        s == null ? null : s.cause());
  }

  @Override
  public boolean isReady() {
    return streamStarted && !closed.get() && pendingBytes.get() < Http2Limits.ON_READY_THRESHOLD;
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    messageCompression = enabled;
  }

  private void onWritten(int size) {
    int after = pendingBytes.addAndGet(-size);
    if (after < Http2Limits.ON_READY_THRESHOLD && after + size >= Http2Limits.ON_READY_THRESHOLD
        && ON_READY.by(listener)) {
      callback(l -> l.onReady());
    }
  }

  /** Event loop: the stream is open (or buffered for a slot); the caller may send. */
  void streamStarted() {
    streamStarted = true;
    if (!ON_READY.by(listener)) {
      return;
    }
    callback(l -> {
      if (isReady()) {
        l.onReady();
      }
    });
  }

  void decompressor(Codec codec) {
    this.decompressor = codec;
  }

  void headersRead(Metadata headers) {
    callback(l -> l.onHeaders(headers));
  }

  void messageArrived(ByteBuf message, boolean compressed) {
    try {
      schedule(() -> deliver(message, compressed));
    } catch (RuntimeException e) {
      message.release();
      throw e;
    }
  }

  private void deliver(ByteBuf message, boolean compressed) {
    RespT response;
    try {
      if (closeDelivered || callbackFailure != null) {
        return;
      }
      response = parse(message, compressed);
    } catch (RuntimeException e) {
      Status status = e instanceof dev.rill.StatusException ? ((dev.rill.StatusException) e).status()
          : Status.INTERNAL.withDescription("cannot parse response: " + e.getMessage()).withCause(e);
      failFromCallback(status);
      return;
    } finally {
      message.release();
    }
    try {
      listener.onMessage(response);
    } catch (RuntimeException | Error t) {
      listenerThrew(t);
    }
  }

  private RespT parse(ByteBuf message, boolean compressed) {
    ByteBuf payload = message;
    if (compressed) {
      Codec codec = decompressor;
      if (codec == null) {
        throw Status.INTERNAL.withDescription(
            "grpc frame: compressed flag set but the response declared no grpc-encoding").asException();
      }
      try {
        payload = codec.decompress(message, ByteBufAllocator.DEFAULT, config.maxInboundMessageSize);
      } catch (Codec.MessageTooLargeException e) {
        throw Status.RESOURCE_EXHAUSTED.withDescription(
            "decompressed response exceeds the limit of " + config.maxInboundMessageSize + " bytes").asException();
      } catch (IOException e) {
        throw Status.INTERNAL.withDescription(codec.name() + ": cannot decompress response: " + e.getMessage())
            .withCause(e).asException();
      }
    }
    try {
      return method.responseMarshaller().parse(payload);
    } finally {
      if (payload != message) {
        payload.release();
      }
    }
  }

  /** Any thread: the transport ended the call. */
  void closedByTransport(Status status, Metadata trailers) {
    close(status, trailers);
  }

  /** Reports a locally produced status; returns false if the call had already ended. */
  private boolean closeLocally(Status status) {
    return close(status, new Metadata());
  }

  private boolean close(Status status, Metadata trailers) {
    if (!closed.compareAndSet(false, true)) {
      return false;
    }
    ScheduledFuture<?> timer = deadlineTimer;
    if (timer != null) {
      timer.cancel(false);
    }
    context.removeListener(contextCancelled);
    schedule(() -> {
      closeDelivered = true;
      Status s = callbackFailure != null ? callbackFailure : status;
      try {
        listener.onClose(s, callbackFailure != null ? new Metadata() : trailers);
      } catch (RuntimeException | Error t) {
        log.log(Level.WARNING, "onClose of " + method.fullMethodName() + " threw", t);
      }
    });
    return true;
  }

  private void callback(java.util.function.Consumer<Listener<RespT>> event) {
    schedule(() -> {
      if (closeDelivered) {
        return;
      }
      try {
        event.accept(listener);
      } catch (RuntimeException | Error t) {
        listenerThrew(t);
      }
    });
  }

  /** Any thread: runs {@code task} on the callback executor, after the connection's current read if any. */
  private void schedule(Runnable task) {
    ReadBatch batch = readBatch;
    if (batch == null) {
      callbacks.execute(task);
    } else {
      batch.execute(callbacks, task);
    }
  }

  private void listenerThrew(Throwable t) {
    log.log(Level.WARNING, "listener of " + method.fullMethodName() + " threw; cancelling the call", t);
    failFromCallback(Status.CANCELLED.withDescription("listener threw: " + t).withCause(t));
  }

  /** Callback thread: ends the call with {@code status}, even if the transport closed it meanwhile. */
  private void failFromCallback(Status status) {
    if (callbackFailure == null) {
      callbackFailure = status;
    }
    cancelWith(status);
  }

  /**
   * Writes one message on the event loop. A half-close that finds it still queued marks it LAST
   * instead of queueing its own command: the message then goes as one DATA frame with END_STREAM,
   * sparing an empty frame and the buffer merging Netty's encoder does for two queued frames. The
   * state is claimed once by either side, so the end of stream is sent exactly once.
   */
  private final class MessageWrite extends AtomicInteger implements Runnable {
    static final int QUEUED = 0;
    static final int RUNNING = 1;
    static final int LAST = 2;

    private final ByteBuf framed;
    private final int size;

    MessageWrite(ByteBuf framed, int size) {
      this.framed = framed;
      this.size = size;
    }

    @Override
    public void run() {
      boolean endOfStream = getAndSet(RUNNING) == LAST;
      stream.writeMessage(framed, endOfStream, () -> onWritten(size));
    }
  }
}
