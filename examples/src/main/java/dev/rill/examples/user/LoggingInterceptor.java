package dev.rill.examples.user;

import dev.rill.Metadata;
import dev.rill.Status;
import dev.rill.server.ForwardingServerCall;
import dev.rill.server.ForwardingServerCallListener;
import dev.rill.server.ServerCall;
import dev.rill.server.ServerCallHandler;
import dev.rill.server.ServerInterceptor;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Writes one line per call when it ends: the method, the status (code and description) and the time
 * from the request headers to the status, e.g.
 * {@code user.v1.UserService/GetUser -> NOT_FOUND: user 99 not found (0.4 ms)}.
 *
 * <p>Register it first (outermost), so that it also sees the calls the interceptors after it reject.
 */
final class LoggingInterceptor implements ServerInterceptor {
  private final Consumer<String> sink;

  /** {@code sink} gets each line; it is called from server threads, concurrently. */
  LoggingInterceptor(Consumer<String> sink) {
    this.sink = sink;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    LoggedCall<ReqT, RespT> logged = new LoggedCall<>(call, sink, System.nanoTime());
    return new ForwardingServerCallListener<>(next.startCall(logged, headers)) {
      @Override
      public void onCancel() {
        // No close: the client cancelled, the deadline passed or the connection dropped.
        Status why = call.context().cancellationStatus();
        logged.log(why != null ? why : Status.CANCELLED);
        super.onCancel();
      }

      @Override
      public void onComplete() {
        // Normally logged at close already. Only a call the runtime closed itself, after a callback
        // threw, completes without passing through close here.
        logged.log(null);
        super.onComplete();
      }
    };
  }

  /** Logs at close, before the status is sent, so the line is out before the client can see the status. */
  private static final class LoggedCall<ReqT, RespT> extends ForwardingServerCall<ReqT, RespT> {
    private final Consumer<String> sink;
    private final long startNanos;
    private final AtomicBoolean logged = new AtomicBoolean();

    LoggedCall(ServerCall<ReqT, RespT> delegate, Consumer<String> sink, long startNanos) {
      super(delegate);
      this.sink = sink;
      this.startNanos = startNanos;
    }

    @Override
    public void close(Status status, Metadata trailers) {
      log(status);
      super.close(status, trailers);
    }

    /** Logs {@code status} (null: not seen) unless this call was logged already. */
    void log(Status status) {
      if (!logged.compareAndSet(false, true)) {
        return;
      }
      double millis = (System.nanoTime() - startNanos) / (double) TimeUnit.MILLISECONDS.toNanos(1);
      String outcome = status == null ? "closed by the runtime after a handler failure"
          : status.description() == null ? status.code().name()
          : status.code().name() + ": " + status.description();
      sink.accept(String.format(Locale.ROOT, "%s -> %s (%.1f ms)", method().fullMethodName(), outcome, millis));
    }
  }
}
