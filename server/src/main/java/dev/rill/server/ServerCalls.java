package dev.rill.server;

import dev.rill.Metadata;
import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.StreamObserver;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Adapts stub-style handler methods (request in, {@link StreamObserver} of responses out) to
 * {@link ServerCallHandler}s. Generated service bases use these.
 *
 * <p>Inbound flow control is automatic: one message is requested at a time, after the previous one
 * was handled, unless the handler calls {@link ServerCallStreamObserver#disableAutoRequest()}.
 */
public final class ServerCalls {
  private static final Logger log = Logger.getLogger(ServerCalls.class.getName());

  private ServerCalls() {}

  /** A unary or server-streaming method body. */
  @FunctionalInterface
  public interface UnaryMethod<ReqT, RespT> {
    void invoke(ReqT request, StreamObserver<RespT> responseObserver);
  }

  /** A client- or bidi-streaming method body: returns the observer of requests. */
  @FunctionalInterface
  public interface StreamingMethod<ReqT, RespT> {
    StreamObserver<ReqT> invoke(StreamObserver<RespT> responseObserver);
  }

  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> unaryCall(UnaryMethod<ReqT, RespT> method) {
    return new UnaryRequestHandler<>(method);
  }

  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> serverStreamingCall(UnaryMethod<ReqT, RespT> method) {
    return new UnaryRequestHandler<>(method);
  }

  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> clientStreamingCall(
      StreamingMethod<ReqT, RespT> method) {
    return new StreamingRequestHandler<>(method);
  }

  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> bidiStreamingCall(StreamingMethod<ReqT, RespT> method) {
    return new StreamingRequestHandler<>(method);
  }

  /** The status an unimplemented method answers with. */
  public static Status unimplemented(String fullMethodName) {
    return Status.UNIMPLEMENTED.withDescription("method " + fullMethodName + " is not implemented");
  }

  /** Answers UNIMPLEMENTED: what a generated base does for a method its subclass did not override. */
  public static <T> void asyncUnimplementedUnaryCall(String fullMethodName, StreamObserver<T> responseObserver) {
    responseObserver.onError(unimplemented(fullMethodName).asException());
  }

  /** As {@link #asyncUnimplementedUnaryCall}, for streaming requests: returns an observer that drops requests. */
  public static <ReqT, RespT> StreamObserver<ReqT> asyncUnimplementedStreamingCall(
      String fullMethodName, StreamObserver<RespT> responseObserver) {
    asyncUnimplementedUnaryCall(fullMethodName, responseObserver);
    return new StreamObserver<>() {
      @Override
      public void onNext(ReqT value) {}

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }

  /**
   * How many messages the transport may request for {@code handler} before it starts: exactly what
   * the handler would request first, so flow control is unchanged; 0 for handlers it cannot know.
   */
  static int upFrontRequests(ServerCallHandler<?, ?> handler) {
    return handler instanceof UnaryRequestHandler ? UnaryRequestHandler.REQUESTS : 0;
  }

  private static final class UnaryRequestHandler<ReqT, RespT> implements ServerCallHandler<ReqT, RespT> {
    /** Two, not one: a second request message must be detected as a protocol violation. */
    static final int REQUESTS = 2;

    private final UnaryMethod<ReqT, RespT> method;

    UnaryRequestHandler(UnaryMethod<ReqT, RespT> method) {
      this.method = method;
    }

    @Override
    public ServerCall.Listener<ReqT> startCall(ServerCall<ReqT, RespT> call, Metadata headers) {
      ResponseObserver<ReqT, RespT> responses = new ResponseObserver<>(call);
      call.request(REQUESTS);
      return new ServerCall.Listener<>() {
        private ReqT request;
        private boolean tooMany;

        @Override
        public void onMessage(ReqT message) {
          if (request != null) {
            tooMany = true;
            call.close(Status.INTERNAL.withDescription(
                "too many requests: " + call.method().type() + " method takes one"), new Metadata());
            return;
          }
          request = message;
        }

        @Override
        public void onHalfClose() {
          if (tooMany) {
            return;
          }
          if (request == null) {
            call.close(Status.INTERNAL.withDescription("missing request: the client half-closed without a message"),
                new Metadata());
            return;
          }
          try {
            method.invoke(request, responses);
          } catch (RuntimeException e) {
            responses.handlerThrew(e);
          }
          request = null;
        }

        @Override
        public void onCancel() {
          responses.cancelled();
        }

        @Override
        public void onReady() {
          responses.ready();
        }
      };
    }
  }

  private static final class StreamingRequestHandler<ReqT, RespT> implements ServerCallHandler<ReqT, RespT> {
    private final StreamingMethod<ReqT, RespT> method;

    StreamingRequestHandler(StreamingMethod<ReqT, RespT> method) {
      this.method = method;
    }

    @Override
    public ServerCall.Listener<ReqT> startCall(ServerCall<ReqT, RespT> call, Metadata headers) {
      ResponseObserver<ReqT, RespT> responses = new ResponseObserver<>(call);
      StreamObserver<ReqT> requests = method.invoke(responses);
      responses.frozen = true;
      if (responses.autoRequest) {
        call.request(1);
      }
      return new ServerCall.Listener<>() {
        private boolean halfClosed;

        @Override
        public void onMessage(ReqT message) {
          try {
            requests.onNext(message);
          } catch (RuntimeException e) {
            responses.handlerThrew(e);
            return;
          }
          if (responses.autoRequest) {
            call.request(1);
          }
        }

        @Override
        public void onHalfClose() {
          halfClosed = true;
          try {
            requests.onCompleted();
          } catch (RuntimeException e) {
            responses.handlerThrew(e);
          }
        }

        @Override
        public void onCancel() {
          responses.cancelled();
          if (!halfClosed) {
            requests.onError(Status.CANCELLED.withDescription("call cancelled").asException());
          }
        }

        @Override
        public void onReady() {
          responses.ready();
        }
      };
    }
  }

  /** The response side handed to the handler. */
  private static final class ResponseObserver<ReqT, RespT> implements ServerCallStreamObserver<RespT> {
    private final ServerCall<ReqT, RespT> call;
    private volatile boolean cancelled;
    private boolean completed;
    private boolean headersSent;
    /** After the handler's start, auto-request can no longer be turned off. */
    boolean frozen;
    boolean autoRequest = true;
    private Runnable onReady;
    private Runnable onCancel;

    ResponseObserver(ServerCall<ReqT, RespT> call) {
      this.call = call;
    }

    @Override
    public void onNext(RespT value) {
      if (cancelled) {
        if (call.method().type().serverStreams()) {
          throw Status.CANCELLED.withDescription("call already cancelled").asException();
        }
        return;
      }
      if (completed) {
        throw new IllegalStateException("onNext: stream already completed");
      }
      if (!headersSent) {
        // Explicitly, as grpc-java does: an interceptor that adds response headers by overriding
        // ServerCall.sendHeaders must see them go out, or they would be sent empty on their own.
        headersSent = true;
        call.sendHeaders(new Metadata());
      }
      call.sendMessage(value);
    }

    @Override
    public void onError(Throwable t) {
      if (completed || cancelled) {
        return;
      }
      completed = true;
      Metadata trailers = t instanceof StatusException ? ((StatusException) t).trailers() : null;
      call.close(Status.fromThrowable(t), trailers == null ? new Metadata() : trailers);
    }

    @Override
    public void onCompleted() {
      if (completed || cancelled) {
        return;
      }
      completed = true;
      call.close(Status.OK, new Metadata());
    }

    @Override
    public boolean isReady() {
      return call.isReady();
    }

    @Override
    public void setOnReadyHandler(Runnable handler) {
      this.onReady = handler;
    }

    @Override
    public void disableAutoRequest() {
      if (frozen) {
        throw new IllegalStateException("disableAutoRequest: must be called before the handler returns");
      }
      autoRequest = false;
    }

    @Override
    public void request(int count) {
      call.request(count);
    }

    @Override
    public void setMessageCompression(boolean enable) {
      call.setMessageCompression(enable);
    }

    @Override
    public boolean isCancelled() {
      return cancelled || call.isCancelled();
    }

    @Override
    public void setOnCancelHandler(Runnable handler) {
      this.onCancel = handler;
    }

    @Override
    public void setCompression(String encoding) {
      call.setCompression(encoding);
    }

    /**
     * The handler threw: close the call through the (possibly intercepted) call, so interceptors
     * observe the status, instead of leaving it to the transport's last-resort close.
     */
    void handlerThrew(RuntimeException e) {
      if (completed || cancelled) {
        throw e;
      }
      Status status = Status.fromThrowable(e);
      if (status.code() == Status.Code.UNKNOWN && status.description() == null) {
        status = status.withDescription("application error processing RPC: " + e);
        log.log(Level.WARNING, "handler of " + call.method().fullMethodName() + " threw", e);
      }
      onError(status.asException(e instanceof StatusException ? ((StatusException) e).trailers() : null));
    }

    void cancelled() {
      cancelled = true;
      if (onCancel != null) {
        onCancel.run();
      }
    }

    void ready() {
      if (onReady != null) {
        onReady.run();
      }
    }
  }
}
