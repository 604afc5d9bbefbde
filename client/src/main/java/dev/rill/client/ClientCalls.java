package dev.rill.client;

import dev.rill.Metadata;
import dev.rill.MethodDescriptor;
import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.StreamObserver;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;

/**
 * Stub-style calling conventions over {@link ClientCall}: blocking, future and observer forms of the
 * four RPC kinds. Generated stubs use these.
 *
 * <p>Failures surface as {@link StatusException} (thrown by blocking calls, completing futures
 * exceptionally, or passed to {@code onError}). Blocking calls run their callbacks on the calling
 * thread; an interrupt cancels the call.
 */
public final class ClientCalls {
  private ClientCalls() {}

  /** Sends {@code request} and waits for the single response. */
  public static <ReqT, RespT> RespT blockingUnaryCall(Channel channel, MethodDescriptor<ReqT, RespT> method,
      CallOptions options, ReqT request) {
    ThreadlessExecutor executor = new ThreadlessExecutor();
    ClientCall<ReqT, RespT> call = channel.newCall(method, options.withExecutor(executor));
    UnaryFuture<RespT> future = new UnaryFuture<>(call);
    startUnary(call, request, future);
    try {
      while (!future.isDone()) {
        executor.waitAndDrain();
      }
    } catch (InterruptedException e) {
      call.cancel("thread interrupted", e);
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("thread interrupted").withCause(e).asException();
    }
    return future.getNow(null);
  }

  /** Sends {@code request}; the iterator yields responses as they arrive, requesting one at a time. */
  public static <ReqT, RespT> Iterator<RespT> blockingServerStreamingCall(Channel channel,
      MethodDescriptor<ReqT, RespT> method, CallOptions options, ReqT request) {
    ThreadlessExecutor executor = new ThreadlessExecutor();
    ClientCall<ReqT, RespT> call = channel.newCall(method, options.withExecutor(executor));
    BlockingIterator<ReqT, RespT> it = new BlockingIterator<>(call, executor);
    call.start(it.listener, new Metadata());
    call.request(1);
    try {
      call.sendMessage(request);
      call.halfClose();
    } catch (RuntimeException e) {
      call.cancel("sending the request failed", e);
      throw e;
    }
    return it;
  }

  /** Sends {@code request}; the future completes with the response or a {@link StatusException}. */
  public static <ReqT, RespT> CompletableFuture<RespT> futureUnaryCall(Channel channel,
      MethodDescriptor<ReqT, RespT> method, CallOptions options, ReqT request) {
    ClientCall<ReqT, RespT> call = channel.newCall(method, options);
    UnaryFuture<RespT> future = new UnaryFuture<>(call);
    startUnary(call, request, future);
    return future;
  }

  public static <ReqT, RespT> void asyncUnaryCall(Channel channel, MethodDescriptor<ReqT, RespT> method,
      CallOptions options, ReqT request, StreamObserver<RespT> responseObserver) {
    asyncServerStreamingCall(channel, method, options, request, responseObserver);
  }

  public static <ReqT, RespT> void asyncServerStreamingCall(Channel channel, MethodDescriptor<ReqT, RespT> method,
      CallOptions options, ReqT request, StreamObserver<RespT> responseObserver) {
    ClientCall<ReqT, RespT> call = channel.newCall(method, options);
    RequestObserver<ReqT, RespT> requests = start(call, responseObserver);
    try {
      call.sendMessage(request);
      call.halfClose();
    } catch (RuntimeException e) {
      call.cancel("sending the request failed", e);
      throw e;
    }
    requests.started();
  }

  /** Starts a client-streaming call; send requests on the returned observer. */
  public static <ReqT, RespT> StreamObserver<ReqT> asyncClientStreamingCall(Channel channel,
      MethodDescriptor<ReqT, RespT> method, CallOptions options, StreamObserver<RespT> responseObserver) {
    return asyncBidiStreamingCall(channel, method, options, responseObserver);
  }

  /** Starts a bidi-streaming call; send requests on the returned observer. */
  public static <ReqT, RespT> StreamObserver<ReqT> asyncBidiStreamingCall(Channel channel,
      MethodDescriptor<ReqT, RespT> method, CallOptions options, StreamObserver<RespT> responseObserver) {
    ClientCall<ReqT, RespT> call = channel.newCall(method, options);
    RequestObserver<ReqT, RespT> requests = start(call, responseObserver);
    requests.started();
    return requests;
  }

  private static <ReqT, RespT> RequestObserver<ReqT, RespT> start(
      ClientCall<ReqT, RespT> call, StreamObserver<RespT> responseObserver) {
    RequestObserver<ReqT, RespT> requests = new RequestObserver<>(call);
    if (responseObserver instanceof ClientResponseObserver) {
      @SuppressWarnings("unchecked")
      ClientResponseObserver<ReqT, RespT> cro = (ClientResponseObserver<ReqT, RespT>) responseObserver;
      cro.beforeStart(requests);
    }
    call.start(new ObserverListener<>(call, responseObserver, requests), new Metadata());
    if (requests.autoRequest) {
      call.request(1);
    }
    return requests;
  }

  private static <ReqT, RespT> void startUnary(ClientCall<ReqT, RespT> call, ReqT request, UnaryFuture<RespT> future) {
    call.start(future.listener, new Metadata());
    // Two, not one: a second response is detected and fails the call.
    call.request(2);
    try {
      call.sendMessage(request);
      call.halfClose();
    } catch (RuntimeException e) {
      call.cancel("sending the request failed", e);
      throw e;
    }
  }

  /** A unary call's result; cancelling it cancels the call. */
  private static final class UnaryFuture<RespT> extends CompletableFuture<RespT> {
    private final ClientCall<?, RespT> call;
    final ClientCall.Listener<RespT> listener = new ClientCall.Listener<>() {
      private RespT response;
      private boolean tooMany;

      @Override
      public void onMessage(RespT message) {
        if (response != null) {
          tooMany = true;
          call.cancel("too many responses: a unary call takes one", null);
          return;
        }
        response = message;
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        if (tooMany) {
          completeExceptionally(Status.INTERNAL.withDescription("too many responses: a unary call takes one")
              .asException(trailers));
        } else if (!status.isOk()) {
          completeExceptionally(status.asException(trailers));
        } else if (response == null) {
          completeExceptionally(Status.INTERNAL.withDescription("no response: the server closed with OK and no message")
              .asException(trailers));
        } else {
          complete(response);
        }
      }
    };

    UnaryFuture(ClientCall<?, RespT> call) {
      this.call = call;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        call.cancel("future cancelled", null);
      }
      return cancelled;
    }

    @Override
    public RespT getNow(RespT valueIfAbsent) {
      try {
        return super.getNow(valueIfAbsent);
      } catch (java.util.concurrent.CompletionException e) {
        if (e.getCause() instanceof StatusException) {
          StatusException se = (StatusException) e.getCause();
          throw new StatusException(se.status(), se.trailers());
        }
        throw e;
      }
    }
  }

  /** The response iterator of a blocking server-streaming call. */
  private static final class BlockingIterator<ReqT, RespT> implements Iterator<RespT> {
    private final ClientCall<ReqT, RespT> call;
    private final ThreadlessExecutor executor;
    private final ArrayDeque<RespT> buffer = new ArrayDeque<>(2);
    private Status closeStatus;
    private Metadata closeTrailers;
    final ClientCall.Listener<RespT> listener = new ClientCall.Listener<>() {
      @Override
      public void onMessage(RespT message) {
        buffer.add(message);
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        closeStatus = status;
        closeTrailers = trailers;
      }
    };

    BlockingIterator(ClientCall<ReqT, RespT> call, ThreadlessExecutor executor) {
      this.call = call;
      this.executor = executor;
    }

    @Override
    public boolean hasNext() {
      try {
        while (buffer.isEmpty() && closeStatus == null) {
          executor.waitAndDrain();
        }
      } catch (InterruptedException e) {
        call.cancel("thread interrupted", e);
        Thread.currentThread().interrupt();
        throw Status.CANCELLED.withDescription("thread interrupted").withCause(e).asException();
      }
      if (!buffer.isEmpty()) {
        return true;
      }
      if (!closeStatus.isOk()) {
        throw closeStatus.asException(closeTrailers);
      }
      return false;
    }

    @Override
    public RespT next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      RespT next = buffer.poll();
      if (closeStatus == null) {
        call.request(1);
      }
      return next;
    }
  }

  /** The request side handed to the caller of a streaming call. */
  private static final class RequestObserver<ReqT, RespT> implements ClientCallStreamObserver<ReqT> {
    private final ClientCall<ReqT, RespT> call;
    private boolean started;
    private boolean completed;
    boolean autoRequest = true;
    Runnable onReady;

    RequestObserver(ClientCall<ReqT, RespT> call) {
      this.call = call;
    }

    void started() {
      started = true;
    }

    @Override
    public void onNext(ReqT value) {
      if (completed) {
        throw new IllegalStateException("onNext: request stream already completed");
      }
      call.sendMessage(value);
    }

    @Override
    public void onError(Throwable t) {
      if (!completed) {
        completed = true;
        call.cancel("cancelled by the client: " + t, t);
      }
    }

    @Override
    public void onCompleted() {
      if (!completed) {
        completed = true;
        call.halfClose();
      }
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
      if (started) {
        throw new IllegalStateException("disableAutoRequest: must be called in beforeStart");
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
    public void cancel(String message, Throwable cause) {
      call.cancel(message, cause);
    }
  }

  /** Feeds a call's events to a response observer. */
  private static final class ObserverListener<ReqT, RespT> extends ClientCall.Listener<RespT> {
    private final ClientCall<ReqT, RespT> call;
    private final StreamObserver<RespT> observer;
    private final RequestObserver<ReqT, RespT> requests;

    ObserverListener(ClientCall<ReqT, RespT> call, StreamObserver<RespT> observer,
        RequestObserver<ReqT, RespT> requests) {
      this.call = call;
      this.observer = observer;
      this.requests = requests;
    }

    @Override
    public void onMessage(RespT message) {
      observer.onNext(message);
      if (requests.autoRequest) {
        call.request(1);
      }
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      if (status.isOk()) {
        observer.onCompleted();
      } else {
        observer.onError(status.asException(trailers));
      }
    }

    @Override
    public void onReady() {
      if (requests.onReady != null) {
        requests.onReady.run();
      }
    }
  }
}
