package dev.rill.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.CallContext;
import dev.rill.Metadata;
import dev.rill.MethodDescriptor;
import dev.rill.MethodType;
import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.StreamObserver;
import dev.rill.server.ForwardingServerCall;
import dev.rill.server.ForwardingServerCallListener;
import dev.rill.server.Server;
import dev.rill.server.ServerCall;
import dev.rill.server.ServerCallHandler;
import dev.rill.server.ServerCalls;
import dev.rill.server.ServerInterceptor;
import dev.rill.server.ServiceDefinition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Server and client interceptors on real calls: authentication, observation, metadata, ordering. */
@Timeout(60)
class InterceptorEndToEndTest {
  static final String SERVICE = "test.Intercept";
  /** Answers with the request's x-client header and whether the call has a deadline: "client,deadline?". */
  static final MethodDescriptor<String, String> WHO = Loopback.method(SERVICE + "/Who", MethodType.UNARY);
  /** Answers "n:joined" once the client completes. */
  static final MethodDescriptor<String, String> COLLECT =
      Loopback.method(SERVICE + "/Collect", MethodType.CLIENT_STREAMING);
  static final MethodDescriptor<String, String> FAIL = Loopback.method(SERVICE + "/Fail", MethodType.UNARY);
  static final MethodDescriptor<String, String> THROW = Loopback.method(SERVICE + "/Throw", MethodType.UNARY);
  static final Map<String, String> TOKENS = Map.of("s3cret", "alice");
  static final long T = 30;

  private final Loopback loopback = new Loopback();
  private final AtomicInteger handlerRuns = new AtomicInteger();
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, CountDownLatch> logged = new ConcurrentHashMap<>();

  private void record(String event) {
    log.add(event);
    logged.computeIfAbsent(event, e -> new CountDownLatch(1)).countDown();
  }

  private void awaitLogged(String event) throws InterruptedException {
    assertTrue(logged.computeIfAbsent(event, e -> new CountDownLatch(1)).await(T, TimeUnit.SECONDS),
        () -> "never logged " + event + ": " + log);
  }

  @AfterEach
  void shutDown() throws InterruptedException {
    loopback.close();
  }

  private Server server(ServerInterceptor... interceptors) {
    return loopback.server(b -> b.intercept(interceptors), ServiceDefinition.builder(SERVICE)
        .addMethod(WHO, (ServerCallHandler<String, String>) (call, headers) -> {
          handlerRuns.incrementAndGet();
          call.request(1);
          String answer = headers.get("x-client") + "," + (CallContext.current().deadline() != null);
          return new ServerCall.Listener<String>() {
            @Override
            public void onHalfClose() {
              call.sendHeaders(new Metadata());
              call.sendMessage(answer);
              call.close(Status.OK, new Metadata());
            }
          };
        })
        .addMethod(COLLECT, ServerCalls.clientStreamingCall(obs -> {
          handlerRuns.incrementAndGet();
          List<String> got = new ArrayList<>();
          return new StreamObserver<String>() {
            @Override
            public void onNext(String value) {
              got.add(value);
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {
              obs.onNext(got.size() + ":" + String.join(",", got));
              obs.onCompleted();
            }
          };
        }))
        .addMethod(FAIL, ServerCalls.unaryCall((req, obs) -> {
          handlerRuns.incrementAndGet();
          obs.onError(Status.ABORTED.withDescription("nope").asException());
        }))
        .addMethod(THROW, ServerCalls.unaryCall((req, obs) -> {
          throw new IllegalStateException("handler bug");
        }))
        .build());
  }

  /** Accepts "authorization: Bearer <known token>"; otherwise UNAUTHENTICATED before the handler runs. */
  static final class AuthInterceptor implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
        ServerCallHandler<ReqT, RespT> next) {
      String auth = headers.get("authorization");
      if (auth == null || !auth.startsWith("Bearer ")) {
        return reject(call, "missing bearer token");
      }
      String user = TOKENS.get(auth.substring("Bearer ".length()));
      if (user == null) {
        return reject(call, "invalid token");
      }
      return next.startCall(new ForwardingServerCall<>(call) {
        @Override
        public void sendHeaders(Metadata responseHeaders) {
          responseHeaders.put("x-auth-user", user);
          super.sendHeaders(responseHeaders);
        }

        @Override
        public void close(Status status, Metadata trailers) {
          trailers.put("x-auth-checked", "true");
          super.close(status, trailers);
        }
      }, headers);
    }

    private static <ReqT, RespT> ServerCall.Listener<ReqT> reject(ServerCall<ReqT, RespT> call, String why) {
      call.close(Status.UNAUTHENTICATED.withDescription(why),
          new Metadata().put("www-authenticate", "Bearer realm=\"test\""));
      return new ServerCall.Listener<ReqT>() {};
    }
  }

  /** Logs "<name>:<event>" for the call's lifecycle, in both directions. */
  final class Logging implements ServerInterceptor {
    private final String name;

    Logging(String name) {
      this.name = name;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
        ServerCallHandler<ReqT, RespT> next) {
      record(name + ":start");
      ServerCall.Listener<ReqT> listener = next.startCall(new ForwardingServerCall<>(call) {
        @Override
        public void sendMessage(RespT message) {
          record(name + ":send " + message);
          super.sendMessage(message);
        }

        @Override
        public void close(Status status, Metadata trailers) {
          record(name + ":close " + status.code());
          super.close(status, trailers);
        }
      }, headers);
      return new ForwardingServerCallListener<>(listener) {
        @Override
        public void onMessage(ReqT message) {
          record(name + ":recv " + message);
          super.onMessage(message);
        }

        @Override
        public void onHalfClose() {
          record(name + ":halfClose");
          super.onHalfClose();
        }

        @Override
        public void onCancel() {
          record(name + ":cancel");
          super.onCancel();
        }

        @Override
        public void onComplete() {
          record(name + ":complete");
          super.onComplete();
        }
      };
    }
  }

  /** What a raw call saw. */
  static final class Outcome {
    volatile Metadata headers;
    final List<String> messages = Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<Status> status = new CompletableFuture<>();
    volatile Metadata trailers;

    Status await() throws Exception {
      return status.get(T, TimeUnit.SECONDS);
    }
  }

  private static Outcome call(Channel channel, MethodDescriptor<String, String> method, Metadata headers,
      String... requests) {
    Outcome o = new Outcome();
    ClientCall<String, String> call = channel.newCall(method, CallOptions.DEFAULT);
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onHeaders(Metadata h) {
        o.headers = h;
      }

      @Override
      public void onMessage(String message) {
        o.messages.add(message);
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        o.trailers = trailers;
        o.status.complete(status);
      }
    }, headers);
    call.request(10);
    for (String r : requests) {
      call.sendMessage(r);
    }
    call.halfClose();
    return o;
  }

  private static Metadata bearer(String token) {
    return new Metadata().put("authorization", "Bearer " + token);
  }

  @Test
  void anAuthInterceptorRejectsMissingAndWrongTokensUnauthenticatedBeforeTheHandlerRuns() throws Exception {
    ClientChannel channel = loopback.channel(server(new AuthInterceptor()));
    Outcome missing = call(channel, WHO, new Metadata(), "x");
    assertEquals(Status.UNAUTHENTICATED.withDescription("missing bearer token"), missing.await());
    assertEquals("Bearer realm=\"test\"", missing.trailers.get("www-authenticate"));
    Outcome wrong = call(channel, COLLECT, bearer("guess"), "a", "b");
    assertEquals(Status.UNAUTHENTICATED.withDescription("invalid token"), wrong.await());
    Outcome basic = call(channel, WHO, new Metadata().put("authorization", "Basic YWxpY2U6cHc="), "x");
    assertEquals(Status.UNAUTHENTICATED.withDescription("missing bearer token"), basic.await());
    assertEquals(List.of(), wrong.messages);
    assertEquals(0, handlerRuns.get(), "no handler ran for a rejected call");
  }

  @Test
  void anAuthInterceptorLetsAValidTokenThroughAndAddsResponseHeadersAndTrailers() throws Exception {
    ClientChannel channel = loopback.channel(server(new AuthInterceptor()));
    Outcome raw = call(channel, WHO, bearer("s3cret").put("x-client", "raw"), "x");
    assertEquals(Status.OK, raw.await());
    assertEquals(List.of("raw,false"), raw.messages);
    assertEquals("alice", raw.headers.get("x-auth-user"));
    assertEquals("true", raw.trailers.get("x-auth-checked"));

    // The same with a stub-style handler, which never calls sendHeaders itself.
    Outcome stub = call(channel, COLLECT, bearer("s3cret"), "a", "b");
    assertEquals(Status.OK, stub.await());
    assertEquals(List.of("2:a,b"), stub.messages);
    assertEquals("alice", stub.headers.get("x-auth-user"), "response headers added in sendHeaders");
    assertEquals("true", stub.trailers.get("x-auth-checked"));

    Outcome failed = call(channel, FAIL, bearer("s3cret"), "x");
    assertEquals(Status.ABORTED.withDescription("nope"), failed.await());
    assertEquals("true", failed.trailers.get("x-auth-checked"), "trailers added to an error too");
  }

  @Test
  void aLoggingInterceptorObservesMessagesHalfCloseAndTheClosingStatus() throws Exception {
    CountDownLatch completed = new CountDownLatch(1);
    ClientChannel channel = loopback.channel(server(new Logging("L"), new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
          ServerCallHandler<ReqT, RespT> next) {
        return new ForwardingServerCallListener<>(next.startCall(call, headers)) {
          @Override
          public void onComplete() {
            super.onComplete();
            completed.countDown();
          }
        };
      }
    }));
    assertEquals(Status.OK, call(channel, COLLECT, new Metadata(), "a", "b", "c").await());
    assertTrue(completed.await(T, TimeUnit.SECONDS));
    assertEquals(List.of("L:start", "L:recv a", "L:recv b", "L:recv c", "L:halfClose", "L:send 3:a,b,c",
        "L:close OK", "L:complete"), log);
  }

  @Test
  void aLoggingInterceptorSeesAFailedCallsStatusAndACancelledCallsCancel() throws Exception {
    ClientChannel channel = loopback.channel(server(new Logging("L")));
    assertEquals(Status.Code.ABORTED, call(channel, FAIL, new Metadata(), "x").await().code());
    awaitLogged("L:complete");
    // A client-streaming call cancelled before it half-closes.
    ClientCall<String, String> call = channel.newCall(COLLECT, CallOptions.DEFAULT);
    CompletableFuture<Status> closed = new CompletableFuture<>();
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onClose(Status status, Metadata trailers) {
        closed.complete(status);
      }
    }, new Metadata());
    call.sendMessage("only");
    awaitLogged("L:recv only");
    call.cancel("stop", null);
    assertEquals(Status.Code.CANCELLED, closed.get(T, TimeUnit.SECONDS).code());
    awaitLogged("L:cancel");
    List<String> events = new ArrayList<>(log);
    assertEquals(List.of("L:start", "L:recv x", "L:halfClose", "L:close ABORTED", "L:complete"), events.subList(0, 5));
    assertEquals(List.of("L:start", "L:recv only", "L:cancel"), events.subList(5, events.size()));
  }

  @Test
  void aLoggingInterceptorSeesTheStatusOfAHandlerThatThrows() throws Exception {
    ClientChannel channel = loopback.channel(server(new Logging("L")));
    Status status = call(channel, THROW, new Metadata(), "x").await();
    assertEquals(Status.Code.UNKNOWN, status.code());
    assertEquals("application error processing RPC: java.lang.IllegalStateException: handler bug",
        status.description());
    awaitLogged("L:complete");
    assertEquals(List.of("L:start", "L:recv x", "L:halfClose", "L:close UNKNOWN", "L:complete"), log);
  }

  /** A client interceptor that adds x-client and a deadline, and records the close it observes. */
  static final class Tagging implements ClientInterceptor {
    final CompletableFuture<Status> closed = new CompletableFuture<>();
    volatile Metadata headersSeen;

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
        CallOptions options, Channel next) {
      return new ForwardingClientCall<>(next.newCall(method, options.withDeadlineAfter(T, TimeUnit.SECONDS))) {
        @Override
        public void start(Listener<RespT> listener, Metadata headers) {
          headers.put("x-client", "tagged");
          super.start(new ForwardingClientCallListener<>(listener) {
            @Override
            public void onHeaders(Metadata h) {
              headersSeen = h;
              super.onHeaders(h);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
              closed.complete(status);
              super.onClose(status, trailers);
            }
          }, headers);
        }
      };
    }
  }

  @Test
  void aClientInterceptorAddsMetadataAndOptionsAndObservesTheClose() throws Exception {
    Tagging tagging = new Tagging();
    ClientChannel channel = loopback.channel(server(), b -> b.intercept(tagging));
    assertEquals("tagged,true", ClientCalls.blockingUnaryCall(channel, WHO, CallOptions.DEFAULT, "x"));
    assertEquals(Status.OK, tagging.closed.get(T, TimeUnit.SECONDS));
    assertTrue(tagging.headersSeen != null, "response headers passed through the interceptor");

    Tagging onFailure = new Tagging();
    Channel intercepted = ClientInterceptor.intercept(loopback.channel(server()), onFailure);
    assertThrows(StatusException.class,
        () -> ClientCalls.blockingUnaryCall(intercepted, FAIL, CallOptions.DEFAULT, "x"));
    assertEquals(Status.ABORTED.withDescription("nope"), onFailure.closed.get(T, TimeUnit.SECONDS));
  }

  @Test
  void aClientInterceptorCanFailACallBeforeItIsSent() {
    ClientInterceptor noCredentials = new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
          CallOptions options, Channel next) {
        return new ClientCall<>() {
          @Override
          public void start(Listener<RespT> listener, Metadata headers) {
            listener.onClose(Status.UNAUTHENTICATED.withDescription("no credentials"), new Metadata());
          }

          @Override
          public void request(int count) {}

          @Override
          public void sendMessage(ReqT message) {}

          @Override
          public void halfClose() {}

          @Override
          public void cancel(String message, Throwable cause) {}

          @Override
          public boolean isReady() {
            return false;
          }

          @Override
          public void setMessageCompression(boolean enabled) {}
        };
      }
    };
    ClientChannel channel = loopback.channel(server(), b -> b.intercept(noCredentials));
    StatusException e = assertThrows(StatusException.class,
        () -> ClientCalls.blockingUnaryCall(channel, WHO, CallOptions.DEFAULT, "x"));
    assertEquals(Status.UNAUTHENTICATED.withDescription("no credentials"), e.status());
    assertEquals(0, handlerRuns.get());
  }

  /** Logs "<name>:start" and "<name>:close" on the client side. */
  private ClientInterceptor clientLogging(String name) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
          CallOptions options, Channel next) {
        record(name + ":newCall");
        return new ForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<RespT> listener, Metadata headers) {
            record(name + ":start");
            super.start(new ForwardingClientCallListener<>(listener) {
              @Override
              public void onClose(Status status, Metadata trailers) {
                record(name + ":onClose");
                super.onClose(status, trailers);
              }
            }, headers);
          }
        };
      }
    };
  }

  /** A hand-written stub, as generated code would be. */
  static final class WhoStub extends AbstractStub<WhoStub> {
    WhoStub(Channel channel, CallOptions options) {
      super(channel, options);
    }

    @Override
    protected WhoStub build(Channel channel, CallOptions options) {
      return new WhoStub(channel, options);
    }

    String who() {
      return ClientCalls.blockingUnaryCall(channel(), WHO, options(), "x");
    }
  }

  @Test
  void severalInterceptorsRunInTheOrderTheyWereAddedOnBothSides() throws Exception {
    CountDownLatch completed = new CountDownLatch(1);
    ServerInterceptor done = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
          ServerCallHandler<ReqT, RespT> next) {
        return new ForwardingServerCallListener<>(next.startCall(call, headers)) {
          @Override
          public void onComplete() {
            super.onComplete();
            completed.countDown();
          }
        };
      }
    };
    Server server = server(done, new Logging("A"), new Logging("B"), new Logging("C"));
    ClientChannel channel = loopback.channel(server, b -> b.intercept(clientLogging("X"), clientLogging("Y")));
    WhoStub stub = new WhoStub(channel, CallOptions.DEFAULT).withInterceptors(clientLogging("S"));
    assertNull(stub.options().deadline());
    assertEquals("null,true", stub.withDeadlineAfter(T, TimeUnit.SECONDS).who());
    assertTrue(completed.await(T, TimeUnit.SECONDS));
    List<String> client = new ArrayList<>();
    List<String> server1 = new ArrayList<>();
    synchronized (log) {
      for (String e : log) {
        (e.matches("[SXY]:.*") ? client : server1).add(e);
      }
    }
    // Stub interceptors wrap the channel's; the first added sees the call first and its close last.
    assertEquals(List.of("S:newCall", "X:newCall", "Y:newCall", "S:start", "X:start", "Y:start",
        "Y:onClose", "X:onClose", "S:onClose"), client);
    // Inbound events go A, B, C; outbound calls from the handler go C, B, A.
    assertEquals(List.of("A:start", "B:start", "C:start", "A:recv x", "B:recv x", "C:recv x",
        "A:halfClose", "B:halfClose", "C:halfClose",
        "C:send null,true", "B:send null,true", "A:send null,true", "C:close OK", "B:close OK", "A:close OK",
        "A:complete", "B:complete", "C:complete"), server1);
  }
}
