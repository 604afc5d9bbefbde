package dev.rill.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.Metadata;
import dev.rill.MethodDescriptor;
import dev.rill.MethodType;
import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.StreamObserver;
import dev.rill.server.Server;
import dev.rill.server.ServerCall;
import dev.rill.server.ServerCallHandler;
import dev.rill.server.ServerCallStreamObserver;
import dev.rill.server.ServerCalls;
import dev.rill.server.ServiceDefinition;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every way a call can be cut short reaches both ends, and nothing keeps running for the dead call. */
@Timeout(60)
class CancellationEndToEndTest {
  static final String SERVICE = "test.Cancel";
  static final MethodDescriptor<String, String> HANG_UNARY = Loopback.method(SERVICE + "/HangUnary", MethodType.UNARY);
  static final MethodDescriptor<String, String> HANG_STREAM =
      Loopback.method(SERVICE + "/HangStream", MethodType.SERVER_STREAMING);
  static final MethodDescriptor<String, String> HANG_BIDI =
      Loopback.method(SERVICE + "/HangBidi", MethodType.BIDI_STREAMING);
  /** Answers "done" when the test completes {@link #gate}. */
  static final MethodDescriptor<String, String> GATED = Loopback.method(SERVICE + "/Gated", MethodType.UNARY);
  /** Streams responses from a thread of its own, as fast as flow control allows, until cancelled. */
  static final MethodDescriptor<String, String> PRODUCE =
      Loopback.method(SERVICE + "/Produce", MethodType.SERVER_STREAMING);
  static final MethodDescriptor<String, String> ECHO = Loopback.method(SERVICE + "/Echo", MethodType.UNARY);
  static final long T = 30;

  private final Loopback loopback = new Loopback();
  /** One permit per call a hanging handler took, and per onCancel it saw. */
  private final Semaphore entered = new Semaphore(0);
  private final Semaphore cancelled = new Semaphore(0);
  private final CompletableFuture<Void> gate = new CompletableFuture<>();
  private final CountDownLatch producerStopped = new CountDownLatch(1);
  private final AtomicReference<Throwable> producerEnd = new AtomicReference<>();
  private Server server;
  private ClientChannel channel;

  @BeforeEach
  void start() {
    ExecutorService producers = loopback.executor(1, "producer");
    ServerCallHandler<String, String> hang = (call, headers) -> {
      entered.release();
      return new ServerCall.Listener<String>() {
        @Override
        public void onCancel() {
          cancelled.release();
        }
      };
    };
    server = loopback.server(ServiceDefinition.builder(SERVICE)
        .addMethod(HANG_UNARY, hang)
        .addMethod(HANG_STREAM, hang)
        .addMethod(HANG_BIDI, hang)
        .addMethod(GATED, (call, headers) -> {
          entered.release();
          gate.thenRun(() -> {
            call.sendMessage("done");
            call.close(Status.OK, new Metadata());
          });
          return new ServerCall.Listener<String>() {};
        })
        .addMethod(PRODUCE, ServerCalls.serverStreamingCall((req, obs) -> {
          ServerCallStreamObserver<String> out = (ServerCallStreamObserver<String>) obs;
          Semaphore ready = new Semaphore(0);
          out.setOnReadyHandler(ready::release);
          out.setOnCancelHandler(cancelled::release);
          entered.release();
          producers.execute(() -> {
            try {
              for (int i = 0; ; i++) {
                while (!out.isReady() && !out.isCancelled()) {
                  ready.tryAcquire(100, TimeUnit.MILLISECONDS);
                }
                out.onNext("m" + i);
              }
            } catch (Throwable t) {
              producerEnd.set(t);
            } finally {
              producerStopped.countDown();
            }
          });
        }))
        .addMethod(ECHO, ServerCalls.unaryCall((req, obs) -> {
          obs.onNext(req);
          obs.onCompleted();
        }))
        .build());
    channel = loopback.channel(server);
  }

  @AfterEach
  void shutDown() throws InterruptedException {
    gate.complete(null);
    loopback.close();
  }

  /** A listener that completes with the call's close. */
  static final class Closed extends ClientCall.Listener<String> {
    final CompletableFuture<Status> status = new CompletableFuture<>();

    @Override
    public void onClose(Status s, Metadata trailers) {
      status.complete(s);
    }
  }

  private Closed startRaw(ClientCall<String, String> call) {
    Closed closed = new Closed();
    call.start(closed, new Metadata());
    call.request(1);
    call.sendMessage("x");
    call.halfClose();
    return closed;
  }

  @Test
  void clientCallCancelReachesTheServerHandlerAsOnCancel() throws Exception {
    ClientCall<String, String> call = channel.newCall(HANG_UNARY, CallOptions.DEFAULT);
    Closed closed = startRaw(call);
    assertTrue(entered.tryAcquire(T, TimeUnit.SECONDS));
    IllegalStateException cause = new IllegalStateException("reason");
    call.cancel("enough", cause);
    Status status = closed.status.get(T, TimeUnit.SECONDS);
    assertEquals(Status.CANCELLED.withDescription("enough"), status);
    assertSame(cause, status.cause(), "the local cause is kept for the caller");
    assertTrue(cancelled.tryAcquire(T, TimeUnit.SECONDS), "the handler saw onCancel");
    call.cancel("again", null); // harmless
  }

  @Test
  void cancellingACallBeforeItReachesTheServerStillEndsItOnce() throws Exception {
    ClientCall<String, String> call = channel.newCall(HANG_UNARY, CallOptions.DEFAULT);
    Closed closed = new Closed();
    call.start(closed, new Metadata());
    call.cancel("changed my mind", null);
    assertEquals(Status.CANCELLED.withDescription("changed my mind"), closed.status.get(T, TimeUnit.SECONDS));
    assertEquals("fine", ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, "fine"));
    // Whether or not its stream was opened before the cancellation, the handler never outlives it.
    if (entered.tryAcquire()) {
      assertTrue(cancelled.tryAcquire(T, TimeUnit.SECONDS));
    }
  }

  @Test
  void cancellingTheFutureOfAFutureUnaryCallCancelsTheCall() throws Exception {
    CompletableFuture<String> f = ClientCalls.futureUnaryCall(channel, HANG_UNARY, CallOptions.DEFAULT, "x");
    assertTrue(entered.tryAcquire(T, TimeUnit.SECONDS));
    assertTrue(f.cancel(true));
    assertTrue(f.isCancelled());
    assertThrows(CancellationException.class, f::join);
    assertTrue(cancelled.tryAcquire(T, TimeUnit.SECONDS), "the handler saw onCancel");
  }

  @Test
  void failingTheRequestObserverOfABidiCallCancelsItOnBothSides() throws Exception {
    RecordingObserver<String> responses = new RecordingObserver<>();
    StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(channel, HANG_BIDI, CallOptions.DEFAULT,
        responses);
    requests.onNext("one");
    assertTrue(entered.tryAcquire(T, TimeUnit.SECONDS));
    requests.onError(new IllegalStateException("client gave up"));
    StatusException e = responses.awaitError();
    assertEquals(Status.Code.CANCELLED, e.status().code());
    assertTrue(e.status().description().contains("client gave up"), e.status()::toString);
    assertTrue(cancelled.tryAcquire(T, TimeUnit.SECONDS), "the handler saw onCancel");
  }

  @Test
  void interruptingAThreadBlockedOnAStreamIteratorCancelsTheCall() throws Exception {
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      Iterator<String> it = ClientCalls.blockingServerStreamingCall(channel, HANG_STREAM, CallOptions.DEFAULT, "x");
      try {
        it.hasNext();
        thrown.complete(null);
      } catch (Throwable t) {
        thrown.complete(t);
      }
    }, "blocked-reader");
    reader.start();
    assertTrue(entered.tryAcquire(T, TimeUnit.SECONDS));
    reader.interrupt();
    StatusException e = assertInstanceOf(StatusException.class, thrown.get(T, TimeUnit.SECONDS));
    assertEquals(Status.Code.CANCELLED, e.status().code());
    reader.join(TimeUnit.SECONDS.toMillis(T));
    assertTrue(cancelled.tryAcquire(T, TimeUnit.SECONDS), "the handler saw onCancel");
  }

  @Test
  void channelShutdownNowFailsOpenCallsOfEveryKindUnavailableAndTheServerSeesOnCancel() throws Exception {
    CompletableFuture<String> unary = ClientCalls.futureUnaryCall(channel, HANG_UNARY, CallOptions.DEFAULT, "x");
    RecordingObserver<String> stream = new RecordingObserver<>();
    ClientCalls.asyncServerStreamingCall(channel, HANG_STREAM, CallOptions.DEFAULT, "x", stream);
    RecordingObserver<String> bidi = new RecordingObserver<>();
    ClientCalls.asyncBidiStreamingCall(channel, HANG_BIDI, CallOptions.DEFAULT, bidi).onNext("x");
    assertTrue(entered.tryAcquire(3, T, TimeUnit.SECONDS));

    channel.shutdownNow();
    ExecutionException e = assertThrows(ExecutionException.class, () -> unary.get(T, TimeUnit.SECONDS));
    assertEquals(Status.Code.UNAVAILABLE, Status.fromThrowable(e.getCause()).code());
    assertEquals(Status.Code.UNAVAILABLE, stream.awaitError().status().code());
    assertEquals(Status.Code.UNAVAILABLE, bidi.awaitError().status().code());
    assertTrue(cancelled.tryAcquire(3, T, TimeUnit.SECONDS), "every handler saw onCancel");
    assertTrue(channel.awaitTermination(T, TimeUnit.SECONDS));

    StatusException refused = assertThrows(StatusException.class,
        () -> ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, "late"));
    assertEquals(Status.Code.UNAVAILABLE, refused.status().code());
  }

  @Test
  void channelShutdownLetsOpenCallsFinishButRefusesNewOnes() throws Exception {
    CompletableFuture<String> open = ClientCalls.futureUnaryCall(channel, GATED, CallOptions.DEFAULT, "x");
    assertTrue(entered.tryAcquire(T, TimeUnit.SECONDS));
    channel.shutdown();
    StatusException refused = assertThrows(StatusException.class,
        () -> ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, "late"));
    assertEquals(Status.Code.UNAVAILABLE, refused.status().code());
    assertFalse(channel.isTerminated(), "a call is still open");
    gate.complete(null);
    assertEquals("done", open.get(T, TimeUnit.SECONDS));
    assertTrue(channel.awaitTermination(T, TimeUnit.SECONDS));
  }

  @Test
  void serverShutdownNowFailsOpenClientCallsUnavailable() throws Exception {
    CompletableFuture<String> unary = ClientCalls.futureUnaryCall(channel, HANG_UNARY, CallOptions.DEFAULT, "x");
    RecordingObserver<String> bidi = new RecordingObserver<>();
    ClientCalls.asyncBidiStreamingCall(channel, HANG_BIDI, CallOptions.DEFAULT, bidi).onNext("x");
    assertTrue(entered.tryAcquire(2, T, TimeUnit.SECONDS));

    server.shutdownNow();
    ExecutionException e = assertThrows(ExecutionException.class, () -> unary.get(T, TimeUnit.SECONDS));
    assertEquals(Status.Code.UNAVAILABLE, Status.fromThrowable(e.getCause()).code());
    assertEquals(Status.Code.UNAVAILABLE, bidi.awaitError().status().code());
    assertTrue(cancelled.tryAcquire(2, T, TimeUnit.SECONDS), "every handler saw onCancel");
    assertTrue(server.awaitTermination(T, TimeUnit.SECONDS));
  }

  @Test
  void aProducerOnItsOwnThreadStopsWhenTheClientCancels() throws Exception {
    CompletableFuture<Status> closed = new CompletableFuture<>();
    CountDownLatch tenMessages = new CountDownLatch(10);
    ClientCall<String, String> call = channel.newCall(PRODUCE, CallOptions.DEFAULT);
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(String message) {
        tenMessages.countDown();
        call.request(1);
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        closed.complete(status);
      }
    }, new Metadata());
    call.request(1);
    call.sendMessage("go");
    call.halfClose();
    assertTrue(tenMessages.await(T, TimeUnit.SECONDS));
    call.cancel("seen enough", null);
    assertEquals(Status.Code.CANCELLED, closed.get(T, TimeUnit.SECONDS).code());
    assertTrue(cancelled.tryAcquire(T, TimeUnit.SECONDS), "the handler saw onCancel");
    assertTrue(producerStopped.await(T, TimeUnit.SECONDS), "the producer stopped");
    StatusException end = assertInstanceOf(StatusException.class, producerEnd.get());
    assertEquals(Status.Code.CANCELLED, end.status().code(), "onNext refused further messages");
  }

  @Test
  void aClientListenerHearsNothingAfterItsCallWasCancelled() throws Exception {
    RecordingObserver<String> responses = new RecordingObserver<>();
    ClientCalls.asyncServerStreamingCall(channel, PRODUCE, CallOptions.DEFAULT, "go",
        new ClientResponseObserver<String, String>() {
          private ClientCallStreamObserver<String> requestStream;

          @Override
          public void beforeStart(ClientCallStreamObserver<String> requestStream) {
            this.requestStream = requestStream;
          }

          @Override
          public void onNext(String value) {
            responses.onNext(value);
            if (responses.messages.size() == 100) {
              requestStream.cancel("that will do", null);
            }
          }

          @Override
          public void onError(Throwable t) {
            responses.onError(t);
          }

          @Override
          public void onCompleted() {
            responses.onCompleted();
          }
        });
    assertEquals(Status.CANCELLED.withDescription("that will do"), responses.awaitError().status());
    assertTrue(producerStopped.await(T, TimeUnit.SECONDS), "the producer stopped");
    // Messages already on their way may still come before onError, but none after it
    // (RecordingObserver notes any event after the terminal one).
    assertEquals(List.of(), responses.violations);
    assertTrue(responses.messages.size() >= 100);
  }
}
