package dev.rill.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.Metadata;
import dev.rill.MethodDescriptor;
import dev.rill.MethodType;
import dev.rill.Status;
import dev.rill.StreamObserver;
import dev.rill.server.Server;
import dev.rill.server.ServerCall;
import dev.rill.server.ServerCallHandler;
import dev.rill.server.ServerCalls;
import dev.rill.server.ServerInterceptor;
import dev.rill.server.ServiceDefinition;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Where callbacks run, that they never overlap, that blocking handlers stall nobody, and load. */
@Timeout(120)
class ThreadingEndToEndTest {
  static final String SERVICE = "test.Threads";
  /** Answers the request prefixed with the handler's thread name: "thread|request". */
  static final MethodDescriptor<String, String> WHERE = Loopback.method(SERVICE + "/Where", MethodType.UNARY);
  static final MethodDescriptor<String, String> ECHO = Loopback.method(SERVICE + "/Echo", MethodType.UNARY);
  /** Blocks its thread until the test opens {@link #release}, then answers "unblocked". */
  static final MethodDescriptor<String, String> BLOCK = Loopback.method(SERVICE + "/Block", MethodType.UNARY);
  /** Echoes every message; checks that its own callbacks never overlap and arrive in order. */
  static final MethodDescriptor<String, String> CHAT = Loopback.method(SERVICE + "/Chat", MethodType.BIDI_STREAMING);
  static final int MANY = 10_000;
  static final long T = 60;

  private final Loopback loopback = new Loopback();
  private final CountDownLatch blocked = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<String> serverViolations = Collections.synchronizedList(new ArrayList<>());
  private final Set<String> startThreads = ConcurrentHashMap.newKeySet();
  private final Set<SocketAddress> clientAddresses = ConcurrentHashMap.newKeySet();

  @AfterEach
  void shutDown() throws InterruptedException {
    release.countDown();
    loopback.close();
  }

  private Server server(Consumer<Server.Builder> customize) {
    ServerInterceptor observe = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
          ServerCallHandler<ReqT, RespT> next) {
        startThreads.add(Thread.currentThread().getName());
        clientAddresses.add(call.remoteAddress());
        return next.startCall(call, headers);
      }
    };
    return loopback.server(b -> customize.accept(b.intercept(observe)), ServiceDefinition.builder(SERVICE)
        .addMethod(WHERE, ServerCalls.unaryCall((req, obs) -> {
          obs.onNext(Thread.currentThread().getName() + "|" + req);
          obs.onCompleted();
        }))
        .addMethod(ECHO, ServerCalls.unaryCall((req, obs) -> {
          obs.onNext(req);
          obs.onCompleted();
        }))
        .addMethod(BLOCK, ServerCalls.unaryCall((req, obs) -> {
          blocked.countDown();
          try {
            assertTrue(release.await(T, TimeUnit.SECONDS));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          obs.onNext("unblocked");
          obs.onCompleted();
        }))
        .addMethod(CHAT, ServerCalls.bidiStreamingCall(obs -> new StreamObserver<String>() {
          final AtomicInteger inFlight = new AtomicInteger();
          int expected;

          private void enter(String event) {
            if (inFlight.incrementAndGet() != 1) {
              serverViolations.add(event + " overlapped another callback");
            }
          }

          @Override
          public void onNext(String value) {
            enter("onNext " + value);
            if (!value.equals(Integer.toString(expected++))) {
              serverViolations.add("expected " + (expected - 1) + ", got " + value);
            }
            obs.onNext(value);
            inFlight.decrementAndGet();
          }

          @Override
          public void onError(Throwable t) {
            serverViolations.add("onError " + t);
          }

          @Override
          public void onCompleted() {
            enter("onCompleted");
            obs.onCompleted();
            inFlight.decrementAndGet();
          }
        }))
        .build());
  }

  private static String threadOf(String whereResponse) {
    return whereResponse.substring(0, whereResponse.indexOf('|'));
  }

  @Test
  void handlersRunOnTheExecutorTheServerWasGiven() {
    ExecutorService handlers = loopback.executor(2, "user-handler");
    ClientChannel channel = loopback.channel(server(b -> b.executor(handlers)));
    for (int i = 0; i < 10; i++) {
      String thread = threadOf(ClientCalls.blockingUnaryCall(channel, WHERE, CallOptions.DEFAULT, "x"));
      assertTrue(thread.startsWith("user-handler-"), thread);
    }
    assertTrue(startThreads.stream().allMatch(t -> t.startsWith("user-handler-")), startThreads::toString);
  }

  @Test
  void withTheDirectExecutorHandlersRunOnTheServersEventLoop() {
    ClientChannel channel = loopback.channel(server(b -> b.directExecutor()
        .eventLoopGroup(loopback.eventLoops(1, "server-io"))));
    String thread = threadOf(ClientCalls.blockingUnaryCall(channel, WHERE, CallOptions.DEFAULT, "x"));
    assertTrue(thread.startsWith("server-io"), thread);
  }

  @Test
  void clientCallbacksRunOnTheChannelsExecutorOrTheCallsOwn() throws Exception {
    ExecutorService channelCallbacks = loopback.executor(2, "channel-callback");
    ExecutorService callCallbacks = loopback.executor(2, "call-callback");
    ClientChannel channel = loopback.channel(server(b -> { }), b -> b.executor(channelCallbacks));

    RecordingObserver<String> onChannel = new RecordingObserver<>();
    ClientCalls.asyncServerStreamingCall(channel, ECHO, CallOptions.DEFAULT, "x", onChannel);
    onChannel.awaitCompletion();
    assertTrue(onChannel.threads.stream().allMatch(t -> t.startsWith("channel-callback-")),
        onChannel.threads::toString);

    RecordingObserver<String> onCall = new RecordingObserver<>();
    ClientCalls.asyncUnaryCall(channel, ECHO, CallOptions.DEFAULT.withExecutor(callCallbacks), "x", onCall);
    onCall.awaitCompletion();
    assertTrue(onCall.threads.stream().allMatch(t -> t.startsWith("call-callback-")), onCall.threads::toString);

  }

  @Test
  void aBlockingCallRunsItsCallbacksOnTheCallingThread() {
    List<String> closeThreads = Collections.synchronizedList(new ArrayList<>());
    ClientInterceptor recordClose = new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
          CallOptions options, Channel next) {
        return new ForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<RespT> listener, Metadata headers) {
            super.start(new ForwardingClientCallListener<>(listener) {
              @Override
              public void onClose(Status status, Metadata trailers) {
                closeThreads.add(Thread.currentThread().getName());
                super.onClose(status, trailers);
              }
            }, headers);
          }
        };
      }
    };
    ClientChannel channel = loopback.channel(server(b -> { }), b -> b.intercept(recordClose));
    assertEquals("x", ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, "x"));
    ClientCalls.blockingServerStreamingCall(channel, ECHO, CallOptions.DEFAULT, "y").forEachRemaining(r -> { });
    assertEquals(List.of(Thread.currentThread().getName(), Thread.currentThread().getName()), closeThreads);
  }

  @Test
  void callbacksOfOneCallNeverOverlapAndArriveInOrderOnBothSides() throws Exception {
    ExecutorService handlers = loopback.executor(8, "handler");
    ExecutorService callbacks = loopback.executor(8, "callback");
    ClientChannel channel = loopback.channel(server(b -> b.executor(handlers)), b -> b.executor(callbacks));
    List<RecordingObserver<String>> observers = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      RecordingObserver<String> responses = new RecordingObserver<>();
      observers.add(responses);
      StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(channel, CHAT, CallOptions.DEFAULT,
          responses);
      for (int i = 0; i < MANY; i++) {
        requests.onNext(Integer.toString(i));
      }
      requests.onCompleted();
    }
    List<String> expected = IntStream.range(0, MANY).mapToObj(Integer::toString).collect(Collectors.toList());
    for (RecordingObserver<String> responses : observers) {
      assertEquals(expected, responses.awaitCompletion(), "responses in order, callbacks never overlapping");
    }
    assertEquals(List.of(), serverViolations);
    assertTrue(observers.stream().flatMap(o -> o.threads.stream()).distinct().count() > 1,
        "the callbacks did move between the pool's threads");
  }

  @Test
  void aBlockingHandlerDoesNotStallOtherCallsOnTheSameConnection() throws Exception {
    ClientChannel channel = loopback.channel(server(b -> { }));
    CompletableFuture<String> stuck = ClientCalls.futureUnaryCall(channel, BLOCK, CallOptions.DEFAULT, "x");
    assertTrue(blocked.await(T, TimeUnit.SECONDS));
    for (int i = 0; i < 10; i++) {
      assertEquals("free " + i, ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, "free " + i));
    }
    assertFalse(stuck.isDone());
    release.countDown();
    assertEquals("unblocked", stuck.get(T, TimeUnit.SECONDS));
    assertEquals(1, clientAddresses.size(), "one connection");
  }

  @Test
  void aBlockingHandlerOnAUserPoolDoesNotStallOtherCallsWhileThreadsRemain() throws Exception {
    ClientChannel channel = loopback.channel(server(b -> b.executor(loopback.executor(2, "pool"))));
    CompletableFuture<String> stuck = ClientCalls.futureUnaryCall(channel, BLOCK, CallOptions.DEFAULT, "x");
    assertTrue(blocked.await(T, TimeUnit.SECONDS));
    assertEquals("free", ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, "free"));
    release.countDown();
    assertEquals("unblocked", stuck.get(T, TimeUnit.SECONDS));
  }

  @Test
  void aClientCallbackThatBlocksDoesNotStallOtherCalls() throws Exception {
    ClientChannel channel = loopback.channel(server(b -> { }));
    CountDownLatch callbackBlocked = new CountDownLatch(1);
    CountDownLatch unblockCallback = new CountDownLatch(1);
    CompletableFuture<String> slow = ClientCalls.futureUnaryCall(channel, ECHO, CallOptions.DEFAULT, "slow")
        .thenApply(r -> {
          callbackBlocked.countDown();
          try {
            unblockCallback.await(T, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return r;
        });
    assertTrue(callbackBlocked.await(T, TimeUnit.SECONDS));
    assertEquals("fast", ClientCalls.futureUnaryCall(channel, ECHO, CallOptions.DEFAULT, "fast")
        .get(T, TimeUnit.SECONDS));
    unblockCallback.countDown();
    assertEquals("slow", slow.get(T, TimeUnit.SECONDS));
  }

  private void thousandConcurrentCalls(ClientChannel channel) throws Exception {
    List<CompletableFuture<String>> calls = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      calls.add(ClientCalls.futureUnaryCall(channel, ECHO, CallOptions.DEFAULT, "call " + i));
    }
    CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).get(T, TimeUnit.SECONDS);
    for (int i = 0; i < 1000; i++) {
      assertEquals("call " + i, calls.get(i).join());
    }
    assertEquals(1, clientAddresses.size(), "every call shared one connection");
  }

  @Test
  void aThousandConcurrentUnaryCallsOverOneChannelAllSucceed() throws Exception {
    thousandConcurrentCalls(loopback.channel(server(b -> { })));
  }

  @Test
  void aThousandConcurrentUnaryCallsSucceedWhenTheServerAllowsOnlyTenStreamsAtATime() throws Exception {
    thousandConcurrentCalls(loopback.channel(server(b -> b.maxConcurrentStreams(10))));
  }

  @Test
  void manyThreadsMakingBlockingCallsAtOnceAllSucceed() throws Exception {
    ClientChannel channel = loopback.channel(server(b -> { }));
    ExecutorService callers = loopback.executor(32, "caller");
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 32; t++) {
      int thread = t;
      done.add(callers.submit(() -> {
        for (int i = 0; i < 30; i++) {
          String request = thread + "/" + i;
          assertEquals(request, ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, request));
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get(T, TimeUnit.SECONDS);
    }
  }
}
