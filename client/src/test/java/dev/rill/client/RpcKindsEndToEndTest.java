package dev.rill.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.Metadata;
import dev.rill.MethodDescriptor;
import dev.rill.MethodType;
import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.StreamObserver;
import dev.rill.server.Server;
import dev.rill.server.ServerCalls;
import dev.rill.server.ServiceDefinition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The four kinds of RPC through every {@link ClientCalls} form, Rill client to Rill server on loopback. */
@Timeout(60)
class RpcKindsEndToEndTest {
  static final String SERVICE = "test.Kinds";
  static final MethodDescriptor<String, String> ECHO = Loopback.method(SERVICE + "/Echo", MethodType.UNARY);
  /** Request "N" or "N:empty": N responses, each its index, or each empty. */
  static final MethodDescriptor<String, String> REPEAT =
      Loopback.method(SERVICE + "/Repeat", MethodType.SERVER_STREAMING);
  /** Request N: responses "m0".."m{N-1}", then ABORTED with a trailer. */
  static final MethodDescriptor<String, String> FAIL_AFTER =
      Loopback.method(SERVICE + "/FailAfter", MethodType.SERVER_STREAMING);
  /** Responds "count:joined" once the client completes. */
  static final MethodDescriptor<String, String> COLLECT =
      Loopback.method(SERVICE + "/Collect", MethodType.CLIENT_STREAMING);
  /** Responds "first" after the first request, without waiting for the rest. */
  static final MethodDescriptor<String, String> FIRST =
      Loopback.method(SERVICE + "/First", MethodType.CLIENT_STREAMING);
  /** Echoes each request as "echo:" + request; completes when the client does. */
  static final MethodDescriptor<String, String> CHAT = Loopback.method(SERVICE + "/Chat", MethodType.BIDI_STREAMING);

  static final int MANY = 10_000;

  private final Loopback loopback = new Loopback();
  private ClientChannel channel;

  static ServiceDefinition service() {
    return ServiceDefinition.builder(SERVICE)
        .addMethod(ECHO, ServerCalls.unaryCall((req, obs) -> {
          obs.onNext(req);
          obs.onCompleted();
        }))
        .addMethod(REPEAT, ServerCalls.serverStreamingCall((req, obs) -> {
          boolean empty = req.endsWith(":empty");
          int n = Integer.parseInt(empty ? req.substring(0, req.indexOf(':')) : req);
          for (int i = 0; i < n; i++) {
            obs.onNext(empty ? "" : Integer.toString(i));
          }
          obs.onCompleted();
        }))
        .addMethod(FAIL_AFTER, ServerCalls.serverStreamingCall((req, obs) -> {
          for (int i = 0; i < Integer.parseInt(req); i++) {
            obs.onNext("m" + i);
          }
          obs.onError(Status.ABORTED.withDescription("gave up after " + req).asException(
              new Metadata().put("x-retry-in", "soon").putBinary("x-state-bin", new byte[] {0, 1, (byte) 0xff})));
        }))
        .addMethod(COLLECT, ServerCalls.clientStreamingCall(obs -> new StreamObserver<String>() {
          final List<String> got = new ArrayList<>();

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
        }))
        .addMethod(FIRST, ServerCalls.clientStreamingCall(obs -> new StreamObserver<String>() {
          boolean answered;

          @Override
          public void onNext(String value) {
            if (!answered) {
              answered = true;
              obs.onNext("first:" + value);
              obs.onCompleted();
            }
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        }))
        .addMethod(CHAT, ServerCalls.bidiStreamingCall(obs -> new StreamObserver<String>() {
          @Override
          public void onNext(String value) {
            obs.onNext("echo:" + value);
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {
            obs.onCompleted();
          }
        }))
        .build();
  }

  @BeforeEach
  void start() {
    Server server = loopback.server(service());
    channel = loopback.channel(server);
  }

  @AfterEach
  void shutDown() throws InterruptedException {
    loopback.close();
  }

  private static List<String> numbers(int n) {
    return IntStream.range(0, n).mapToObj(Integer::toString).collect(Collectors.toList());
  }

  private static <T> List<T> drain(Iterator<T> it) {
    List<T> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  @Test
  void aBlockingUnaryCallReturnsTheServersResponse() {
    assertEquals("hello", ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, "hello"));
  }

  @Test
  void aUnaryCallCarriesAnEmptyMessageBothWays() {
    assertEquals("", ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, ""));
  }

  @Test
  void aFutureUnaryCallCompletesWithTheResponse() throws Exception {
    CompletableFuture<String> f = ClientCalls.futureUnaryCall(channel, ECHO, CallOptions.DEFAULT, "future");
    assertEquals("future", f.get(30, TimeUnit.SECONDS));
  }

  @Test
  void anAsyncUnaryCallDeliversOneMessageThenCompletion() throws Exception {
    RecordingObserver<String> obs = new RecordingObserver<>();
    ClientCalls.asyncUnaryCall(channel, ECHO, CallOptions.DEFAULT, "async", obs);
    assertEquals(List.of("async"), obs.awaitCompletion());
  }

  @Test
  void aBlockingServerStreamYieldsManyResponsesInOrder() {
    Iterator<String> it =
        ClientCalls.blockingServerStreamingCall(channel, REPEAT, CallOptions.DEFAULT, Integer.toString(MANY));
    assertEquals(numbers(MANY), drain(it));
  }

  @Test
  void aBlockingServerStreamWithNoResponsesEndsAtOnce() {
    Iterator<String> it = ClientCalls.blockingServerStreamingCall(channel, REPEAT, CallOptions.DEFAULT, "0");
    assertFalse(it.hasNext());
    assertFalse(it.hasNext(), "hasNext stays false");
  }

  @Test
  void aServerStreamCarriesEmptyMessages() {
    Iterator<String> it = ClientCalls.blockingServerStreamingCall(channel, REPEAT, CallOptions.DEFAULT, "5:empty");
    assertEquals(Collections.nCopies(5, ""), drain(it));
  }

  @Test
  void anAsyncServerStreamDeliversManyMessagesThenCompletion() throws Exception {
    RecordingObserver<String> obs = new RecordingObserver<>();
    ClientCalls.asyncServerStreamingCall(channel, REPEAT, CallOptions.DEFAULT, Integer.toString(MANY), obs);
    assertEquals(numbers(MANY), obs.awaitCompletion());
  }

  @Test
  void aClientStreamingCallSendsManyRequestsAndGetsOneResponse() throws Exception {
    RecordingObserver<String> obs = new RecordingObserver<>();
    StreamObserver<String> requests = ClientCalls.asyncClientStreamingCall(channel, COLLECT, CallOptions.DEFAULT, obs);
    for (String s : numbers(MANY)) {
      requests.onNext(s);
    }
    requests.onCompleted();
    assertEquals(List.of(MANY + ":" + String.join(",", numbers(MANY))), obs.awaitCompletion());
  }

  @Test
  void aClientStreamingCallWithNoRequestsStillGetsItsResponse() throws Exception {
    RecordingObserver<String> obs = new RecordingObserver<>();
    ClientCalls.asyncClientStreamingCall(channel, COLLECT, CallOptions.DEFAULT, obs).onCompleted();
    assertEquals(List.of("0:"), obs.awaitCompletion());
  }

  @Test
  void aClientStreamingCallCarriesEmptyRequests() throws Exception {
    RecordingObserver<String> obs = new RecordingObserver<>();
    StreamObserver<String> requests = ClientCalls.asyncClientStreamingCall(channel, COLLECT, CallOptions.DEFAULT, obs);
    requests.onNext("");
    requests.onNext("");
    requests.onNext("");
    requests.onCompleted();
    assertEquals(List.of("3:,,"), obs.awaitCompletion());
  }

  @Test
  void aServerMayAnswerAClientStreamBeforeTheClientFinishesSending() throws Exception {
    RecordingObserver<String> obs = new RecordingObserver<>();
    StreamObserver<String> requests = ClientCalls.asyncClientStreamingCall(channel, FIRST, CallOptions.DEFAULT, obs);
    requests.onNext("a");
    assertEquals(List.of("first:a"), obs.awaitCompletion());
    // The call is over: later requests are dropped without an error.
    requests.onNext("b");
    requests.onCompleted();
    assertEquals("again", ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, "again"));
  }

  @Test
  void aBidiCallEchoesManyMessagesInOrder() throws Exception {
    RecordingObserver<String> obs = new RecordingObserver<>();
    StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(channel, CHAT, CallOptions.DEFAULT, obs);
    for (String s : numbers(MANY)) {
      requests.onNext(s);
    }
    requests.onCompleted();
    assertEquals(numbers(MANY).stream().map(s -> "echo:" + s).collect(Collectors.toList()), obs.awaitCompletion());
  }

  @Test
  void aBidiCallWithNoMessagesEitherWayCompletes() throws Exception {
    RecordingObserver<String> obs = new RecordingObserver<>();
    ClientCalls.asyncBidiStreamingCall(channel, CHAT, CallOptions.DEFAULT, obs).onCompleted();
    assertEquals(List.of(), obs.awaitCompletion());
  }

  @Test
  void aBidiCallCarriesEmptyMessages() throws Exception {
    RecordingObserver<String> obs = new RecordingObserver<>();
    StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(channel, CHAT, CallOptions.DEFAULT, obs);
    requests.onNext("");
    requests.onNext("");
    requests.onCompleted();
    assertEquals(List.of("echo:", "echo:"), obs.awaitCompletion());
  }

  @Test
  void aServerFailingMidStreamDeliversTheEarlierMessagesThenItsStatusAndTrailersToAnIterator() {
    Iterator<String> it = ClientCalls.blockingServerStreamingCall(channel, FAIL_AFTER, CallOptions.DEFAULT, "3");
    assertEquals("m0", it.next());
    assertEquals("m1", it.next());
    assertEquals("m2", it.next());
    StatusException e = assertThrows(StatusException.class, it::hasNext);
    assertEquals(Status.ABORTED.withDescription("gave up after 3"), e.status());
    assertEquals("soon", e.trailers().get("x-retry-in"));
    assertArrayEqualsBytes(new byte[] {0, 1, (byte) 0xff}, e.trailers().getBinary("x-state-bin"));
  }

  @Test
  void aServerFailingMidStreamDeliversTheEarlierMessagesThenItsStatusAndTrailersToAnObserver() throws Exception {
    RecordingObserver<String> obs = new RecordingObserver<>();
    ClientCalls.asyncServerStreamingCall(channel, FAIL_AFTER, CallOptions.DEFAULT, "1000", obs);
    StatusException e = obs.awaitError();
    assertEquals(IntStream.range(0, 1000).mapToObj(i -> "m" + i).collect(Collectors.toList()), obs.messages);
    assertEquals(Status.ABORTED.withDescription("gave up after 1000"), e.status());
    assertEquals("soon", e.trailers().get("x-retry-in"));
  }

  @Test
  void aServerFailingBeforeAnyMessageFailsAUnaryFutureWithItsStatusAndTrailers() {
    MethodDescriptor<String, String> failAfterAsUnary = Loopback.method(SERVICE + "/FailAfter", MethodType.UNARY);
    CompletableFuture<String> f = ClientCalls.futureUnaryCall(channel, failAfterAsUnary, CallOptions.DEFAULT, "0");
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
    StatusException se = (StatusException) e.getCause();
    assertEquals(Status.ABORTED.withDescription("gave up after 0"), se.status());
    assertEquals("soon", se.trailers().get("x-retry-in"));
  }

  @Test
  void anUnknownMethodFailsUnimplementedNamingTheMethodAndService() {
    MethodDescriptor<String, String> nope = Loopback.method(SERVICE + "/Nope", MethodType.UNARY);
    StatusException e = assertThrows(StatusException.class,
        () -> ClientCalls.blockingUnaryCall(channel, nope, CallOptions.DEFAULT, "x"));
    assertEquals(Status.UNIMPLEMENTED.withDescription("unknown method Nope for service test.Kinds"), e.status());
  }

  @Test
  void anUnknownServiceFailsUnimplementedNamingTheService() {
    MethodDescriptor<String, String> nowhere = Loopback.method("test.Nowhere/Echo", MethodType.UNARY);
    StatusException e = assertThrows(StatusException.class,
        () -> ClientCalls.blockingUnaryCall(channel, nowhere, CallOptions.DEFAULT, "x"));
    assertEquals(Status.UNIMPLEMENTED.withDescription("unknown service test.Nowhere"), e.status());
  }

  @Test
  void aStreamingCallToAnUnknownMethodFailsUnimplementedWhileTheClientIsStillSending() throws Exception {
    MethodDescriptor<String, String> nope = Loopback.method(SERVICE + "/NopeStream", MethodType.BIDI_STREAMING);
    RecordingObserver<String> obs = new RecordingObserver<>();
    StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(channel, nope, CallOptions.DEFAULT, obs);
    requests.onNext("ignored");
    StatusException e = obs.awaitError();
    assertEquals(Status.UNIMPLEMENTED.withDescription("unknown method NopeStream for service test.Kinds"), e.status());
    requests.onNext("still ignored");
    requests.onCompleted();
    assertTrue(obs.messages.isEmpty());
    assertEquals("fine", ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, "fine"));
  }

  private static void assertArrayEqualsBytes(byte[] expected, byte[] actual) {
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
  }
}
