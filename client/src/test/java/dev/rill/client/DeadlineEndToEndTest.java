package dev.rill.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.CallContext;
import dev.rill.Deadline;
import dev.rill.Metadata;
import dev.rill.MethodDescriptor;
import dev.rill.MethodType;
import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.server.Server;
import dev.rill.server.ServerCall;
import dev.rill.server.ServerCalls;
import dev.rill.server.ServerInterceptor;
import dev.rill.server.ServiceDefinition;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Deadlines end to end: expiry on the client and the server, and the propagation of deadline and
 * cancellation from a handler to the calls it makes (through {@link CallContext}).
 */
@Timeout(60)
class DeadlineEndToEndTest {
  static final String SERVICE = "test.Deadlines";
  /** Never answers; records its deadline and its onCancel. */
  static final MethodDescriptor<String, String> HANG = Loopback.method(SERVICE + "/Hang", MethodType.UNARY);
  /** Records the deadline of CallContext.current() in the handler, answers "recorded". */
  static final MethodDescriptor<String, String> RECORD = Loopback.method(SERVICE + "/Record", MethodType.UNARY);
  /** Calls HANG or RECORD (header x-nested), with x-nested-deadline-ms of its own if given, and relays the result. */
  static final MethodDescriptor<String, String> NESTED = Loopback.method(SERVICE + "/Nested", MethodType.UNARY);

  private final Loopback loopback = new Loopback();
  private final AtomicInteger callsStarted = new AtomicInteger();
  private final CountDownLatch hangEntered = new CountDownLatch(1);
  private final CountDownLatch hangCancelled = new CountDownLatch(1);
  private volatile Deadline hangDeadline;
  private volatile Deadline hangContextDeadline;
  private volatile Deadline recordDeadline;
  private volatile long recordNanos;
  private volatile Deadline parentDeadline;
  private volatile long nestedStartNanos;
  private final CompletableFuture<Status> nestedOutcome = new CompletableFuture<>();
  private ClientChannel channel;

  @BeforeEach
  void start() {
    ServerInterceptor counting = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
          dev.rill.server.ServerCallHandler<ReqT, RespT> next) {
        callsStarted.incrementAndGet();
        return next.startCall(call, headers);
      }
    };
    Server server = loopback.server(b -> b.intercept(counting), ServiceDefinition.builder(SERVICE)
        // Raw handler: startCall always runs before onCancel, however early the cancellation comes.
        .addMethod(HANG, (call, headers) -> {
          hangDeadline = call.deadline();
          hangContextDeadline = CallContext.current().deadline();
          hangEntered.countDown();
          return new ServerCall.Listener<String>() {
            @Override
            public void onCancel() {
              hangCancelled.countDown();
            }
          };
        })
        .addMethod(RECORD, ServerCalls.unaryCall((req, obs) -> {
          recordNanos = System.nanoTime();
          recordDeadline = CallContext.current().deadline();
          obs.onNext("recorded");
          obs.onCompleted();
        }))
        .addMethod(NESTED, (call, headers) -> {
          parentDeadline = CallContext.current().deadline();
          String ms = headers.get("x-nested-deadline-ms");
          CallOptions options = ms == null ? CallOptions.DEFAULT
              : CallOptions.DEFAULT.withDeadlineAfter(Long.parseLong(ms), TimeUnit.MILLISECONDS);
          MethodDescriptor<String, String> target = "hang".equals(headers.get("x-nested")) ? HANG : RECORD;
          nestedStartNanos = System.nanoTime();
          ClientCalls.futureUnaryCall(channel, target, options, "nested").whenComplete((response, failure) -> {
            Status status = failure == null ? Status.OK : Status.fromThrowable(failure);
            nestedOutcome.complete(status);
            if (failure == null) {
              call.sendMessage("nested:" + response);
            }
            call.close(status, new Metadata());
          });
          return new ServerCall.Listener<String>() {};
        })
        .build());
    channel = loopback.channel(server);
    // Connect first, so that short deadlines are spent on the call rather than on the handshake.
    assertEquals("recorded", ClientCalls.blockingUnaryCall(channel, RECORD, CallOptions.DEFAULT, "warm up"));
    callsStarted.set(0);
  }

  @AfterEach
  void shutDown() throws InterruptedException {
    loopback.close();
  }

  private static CallOptions nested(String target, Long ownDeadlineMs) {
    Metadata m = new Metadata().put("x-nested", target);
    if (ownDeadlineMs != null) {
      m.put("x-nested-deadline-ms", Long.toString(ownDeadlineMs));
    }
    return CallOptions.DEFAULT.withHeaders(m);
  }

  @Test
  void aCallWhoseDeadlinePassesFailsDeadlineExceededAndTheHandlerSeesOnCancel() throws Exception {
    StatusException e = assertThrows(StatusException.class, () -> ClientCalls.blockingUnaryCall(channel, HANG,
        CallOptions.DEFAULT.withDeadlineAfter(100, TimeUnit.MILLISECONDS), "x"));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.status().code());
    assertTrue(hangEntered.await(30, TimeUnit.SECONDS), "the handler was invoked");
    assertTrue(hangCancelled.await(30, TimeUnit.SECONDS), "the handler saw onCancel");
    assertNotNull(hangDeadline, "the server knew the deadline");
    assertEquals(hangDeadline, hangContextDeadline, "CallContext.current() carries the call's deadline");
  }

  @Test
  void anAsyncCallWhoseDeadlinePassesFailsItsObserverWithDeadlineExceeded() throws Exception {
    RecordingObserver<String> obs = new RecordingObserver<>();
    ClientCalls.asyncUnaryCall(channel, HANG, CallOptions.DEFAULT.withDeadlineAfter(100, TimeUnit.MILLISECONDS),
        "x", obs);
    assertEquals(Status.Code.DEADLINE_EXCEEDED, obs.awaitError().status().code());
    assertTrue(hangCancelled.await(30, TimeUnit.SECONDS), "the handler saw onCancel");
  }

  @Test
  void aHandlerSeesItsCallersDeadlineThroughCallContext() {
    ClientCalls.blockingUnaryCall(channel, RECORD, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), "x");
    assertNotNull(recordDeadline);
    assertTrue(recordDeadline.timeRemaining(TimeUnit.MILLISECONDS) <= 30_000, recordDeadline::toString);
  }

  @Test
  void aHandlerOfACallWithoutDeadlineSeesNone() {
    ClientCalls.blockingUnaryCall(channel, RECORD, CallOptions.DEFAULT, "x");
    assertNull(recordDeadline);
  }

  @Test
  void aNestedCallSendsItsParentsDeadlineGiveOrTakeTheTimeOnTheWire() throws Exception {
    String response = ClientCalls.blockingUnaryCall(channel, NESTED,
        nested("record", null).withDeadlineAfter(30, TimeUnit.SECONDS), "x");
    assertEquals("nested:recorded", response);
    assertNotNull(parentDeadline);
    assertNotNull(recordDeadline, "the nested call carried a deadline");
    // The child's deadline can only exceed the parent's by the time between the nested call's start
    // and the child handler running (grpc-timeout is rounded up to the microsecond at most).
    long parentRemaining = parentDeadline.remainingNanos();
    long childRemaining = recordDeadline.remainingNanos();
    long slack = recordNanos - nestedStartNanos + TimeUnit.MICROSECONDS.toNanos(1);
    assertTrue(childRemaining - parentRemaining <= slack,
        () -> "child " + recordDeadline + " vs parent " + parentDeadline + ", slack " + slack + " ns");
  }

  @Test
  void aNestedCallWithALaterDeadlineOfItsOwnStillGetsItsParentsDeadline() {
    ClientCalls.blockingUnaryCall(channel, NESTED,
        nested("record", TimeUnit.HOURS.toMillis(1)).withDeadlineAfter(30, TimeUnit.SECONDS), "x");
    assertTrue(recordDeadline.timeRemaining(TimeUnit.MILLISECONDS) <= 30_000, recordDeadline::toString);
  }

  @Test
  void aNestedCallWithAnEarlierDeadlineOfItsOwnKeepsIt() {
    ClientCalls.blockingUnaryCall(channel, NESTED,
        nested("record", 5_000L).withDeadlineAfter(1, TimeUnit.HOURS), "x");
    assertTrue(recordDeadline.timeRemaining(TimeUnit.MILLISECONDS) <= 5_000, recordDeadline::toString);
  }

  @Test
  void aNestedCallOfAParentWithoutDeadlineHasNone() {
    ClientCalls.blockingUnaryCall(channel, NESTED, nested("record", null), "x");
    assertNull(parentDeadline);
    assertNull(recordDeadline);
  }

  @Test
  void whenTheParentsDeadlinePassesTheNestedCallIsCancelledToo() throws Exception {
    CompletableFuture<String> parent = ClientCalls.futureUnaryCall(channel, NESTED,
        nested("hang", null).withDeadlineAfter(1, TimeUnit.SECONDS), "x");
    ExecutionException e = assertThrows(ExecutionException.class, () -> parent.get(30, TimeUnit.SECONDS));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, Status.fromThrowable(e.getCause()).code());
    assertTrue(hangEntered.await(30, TimeUnit.SECONDS), "the nested call reached its server");
    assertTrue(hangCancelled.await(30, TimeUnit.SECONDS), "the nested call's handler saw onCancel");
    assertNotNull(hangDeadline, "the nested call carried the parent's deadline");
    Status nestedStatus = nestedOutcome.get(30, TimeUnit.SECONDS);
    assertTrue(List.of(Status.Code.DEADLINE_EXCEEDED, Status.Code.CANCELLED).contains(nestedStatus.code()),
        nestedStatus::toString);
  }

  @Test
  void cancellingTheParentCancelsTheNestedCall() throws Exception {
    CompletableFuture<String> parent = ClientCalls.futureUnaryCall(channel, NESTED, nested("hang", null), "x");
    assertTrue(hangEntered.await(30, TimeUnit.SECONDS), "the nested call reached its server");
    assertNull(hangDeadline, "no deadline anywhere: only cancellation can end the nested call");
    assertTrue(parent.cancel(true));
    assertTrue(hangCancelled.await(30, TimeUnit.SECONDS), "the nested call's handler saw onCancel");
    Status nestedStatus = nestedOutcome.get(30, TimeUnit.SECONDS);
    assertEquals(Status.Code.CANCELLED, nestedStatus.code(), nestedStatus::toString);
    assertTrue(nestedStatus.description().startsWith("parent call cancelled"), nestedStatus::toString);
  }

  @Test
  void anAlreadyExpiredDeadlineFailsAtOnceWithoutOpeningAStream() {
    CompletableFuture<String> f = ClientCalls.futureUnaryCall(channel, RECORD,
        CallOptions.DEFAULT.withDeadline(Deadline.after(-1, TimeUnit.SECONDS)).withExecutor(Runnable::run), "x");
    assertTrue(f.isDone(), "failed before futureUnaryCall returned");
    ExecutionException e = assertThrows(ExecutionException.class, f::get);
    assertEquals(Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded before the call started"),
        Status.fromThrowable(e.getCause()));

    StatusException blocking = assertThrows(StatusException.class, () -> ClientCalls.blockingUnaryCall(channel,
        RECORD, CallOptions.DEFAULT.withDeadline(Deadline.after(0, TimeUnit.NANOSECONDS)), "x"));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, blocking.status().code());

    // A later call on the same connection is the first the server sees: the others never left.
    ClientCalls.blockingUnaryCall(channel, RECORD, CallOptions.DEFAULT, "x");
    assertEquals(1, callsStarted.get());
  }

  @Test
  void aCallStartedInACancelledContextFailsAtOnceWithoutOpeningAStream() throws Exception {
    CallContext.Cancellable context = CallContext.ROOT.withCancellation();
    context.cancel(Status.CANCELLED.withDescription("the caller gave up"));
    CompletableFuture<String> f = context.call(() -> ClientCalls.futureUnaryCall(channel, RECORD,
        CallOptions.DEFAULT.withExecutor(Runnable::run), "x"));
    assertTrue(f.isDone(), "failed before futureUnaryCall returned");
    Status status = Status.fromThrowable(assertThrows(ExecutionException.class, f::get).getCause());
    assertEquals(Status.Code.CANCELLED, status.code());
    assertTrue(status.description().contains("the caller gave up"), status::toString);
    ClientCalls.blockingUnaryCall(channel, RECORD, CallOptions.DEFAULT, "x");
    assertEquals(1, callsStarted.get());
  }
}
