package dev.rill.server;

import static dev.rill.server.RawHttp2Client.END_HEADERS;
import static dev.rill.server.RawHttp2Client.END_STREAM;
import static dev.rill.server.RawHttp2Client.message;
import static dev.rill.server.RawHttp2Client.request;
import static dev.rill.server.WireFixtures.HOLD_PATH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.CallContext;
import dev.rill.Metadata;
import dev.rill.Status;
import dev.rill.server.RawHttp2Client.Headers;
import dev.rill.server.RawHttp2Client.RstStream;
import io.netty.handler.codec.http2.Http2Error;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What ends a call early: the deadline, the client's RST_STREAM, a lost connection. */
@Timeout(60)
class DeadlineAndCancellationWireTest {
  private final CallProbe probe = new CallProbe();
  private Server server;
  private RawHttp2Client client;

  @BeforeEach
  void start() throws Exception {
    server = WireFixtures.server(probe).build().start();
    client = RawHttp2Client.connect(server.port());
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    WireFixtures.stop(server);
  }

  @Test
  void aPassedDeadlineSendsDeadlineExceededThenRstStreamCancelAndCancelsTheHandler() throws Exception {
    client.headers(1, request(HOLD_PATH).add("grpc-timeout", "50m"), false);
    CallProbe.Call c = probe.nextCall();
    assertNotNull(c.call.deadline(), "the handler sees the client's deadline");

    Headers only = client.next(1, Headers.class);
    assertEquals(List.of(":status: 200", "content-type: application/grpc", "grpc-status: 4",
        "grpc-message: deadline exceeded on the server"), only.fields());
    assertEquals(END_HEADERS | END_STREAM, only.flags());
    assertEquals(Http2Error.CANCEL.code(), client.next(1, RstStream.class).errorCode());

    c.awaitCancelled();
    assertTrue(c.call.isCancelled());
    assertCancelled(c, Status.Code.DEADLINE_EXCEEDED);
  }

  @Test
  void aDeadlinePassingAfterTheHalfCloseSendsTrailersOnlyAndNoReset() throws Exception {
    client.headers(1, request(HOLD_PATH).add("grpc-timeout", "50m"), false);
    client.data(1, message("never answered"), true);
    CallProbe.Call c = probe.nextCall();

    Headers only = client.next(1, Headers.class);
    assertEquals("4", only.get("grpc-status"));
    assertTrue(only.endStream());
    c.awaitCancelled();
    assertCancelled(c, Status.Code.DEADLINE_EXCEEDED);
    client.pingRoundTrip();
    assertEquals(List.of(), client.drain(1), "both sides ended the stream: nothing to reset");
  }

  @Test
  void aDeadlinePassingAfterTheResponseHeadersEndsWithTrailersOnly() throws Exception {
    client.headers(1, request(HOLD_PATH).add("grpc-timeout", "50m"), false);
    CallProbe.Call c = probe.nextCall();
    c.call.sendHeaders(new Metadata());
    assertEquals("200", client.next(1, Headers.class).get(":status"));

    Headers trailers = client.next(1, Headers.class);
    assertEquals(List.of("grpc-status: 4", "grpc-message: deadline exceeded on the server"), trailers.fields());
    assertTrue(trailers.endStream());
    assertEquals(Http2Error.CANCEL.code(), client.next(1, RstStream.class).errorCode());
    c.awaitCancelled();
  }

  @Test
  void theClientsRstStreamCancelFiresOnCancelAndCancelsTheContext() throws Exception {
    client.headers(1, request(HOLD_PATH), false);
    CallProbe.Call c = probe.nextCall();
    client.rstStream(1, Http2Error.CANCEL);

    c.awaitCancelled();
    assertTrue(c.call.isCancelled());
    Status status = assertCancelled(c, Status.Code.CANCELLED);
    assertEquals("client reset the stream with CANCEL", status.description());
    assertEquals(1, c.completed.getCount(), "onComplete never fires for a cancelled call");
    client.pingRoundTrip();
    assertEquals(List.of(), client.drain(1), "a reset stream gets no answer, not even a reset");
  }

  @Test
  void sendsAfterTheClientResetAreDroppedQuietly() throws Exception {
    client.headers(1, request(HOLD_PATH), false);
    CallProbe.Call c = probe.nextCall();
    client.rstStream(1, Http2Error.CANCEL);
    c.awaitCancelled();

    c.call.sendMessage("too late");
    c.call.close(Status.OK, new Metadata());
    client.pingRoundTrip();
    assertEquals(List.of(), client.drain(1));
  }

  @Test
  void closingTheConnectionCancelsEveryOpenCall() throws Exception {
    List<CallProbe.Call> calls = new ArrayList<>();
    for (int id = 1; id <= 5; id += 2) {
      client.headers(id, request(HOLD_PATH), false);
      calls.add(probe.nextCall());
    }
    client.close();

    for (CallProbe.Call c : calls) {
      c.awaitCancelled();
      assertEquals("connection closed", assertCancelled(c, Status.Code.CANCELLED).description());
    }
  }

  @Test
  void theDeadlineTimerIsCancelledWhenTheCallCompletesInTime() throws Exception {
    client.headers(1, request(HOLD_PATH).add("grpc-timeout", "10S"), true);
    CallProbe.Call c = probe.nextCall();
    c.call.close(Status.OK, new Metadata());

    assertEquals("0", client.next(1, Headers.class).get("grpc-status"));
    c.awaitCompleted();
    assertTrue(c.startContext.isCancelled(), "a completed call's context is cancelled too (work is over)");
    assertEquals(1, c.cancelled.getCount(), "onCancel never fires for a completed call");
  }

  /** The call's context, as the handler saw it, is cancelled with {@code code}; returns its status. */
  private static Status assertCancelled(CallProbe.Call c, Status.Code code) throws InterruptedException {
    CallContext context = c.call.context();
    assertSame(context, c.startContext, "the call's context is attached while the handler runs");
    assertSame(context, c.cancelContext, "and while onCancel runs");
    assertTrue(context.isCancelled(), "context cancelled");
    Status status = context.cancellationStatus();
    assertEquals(code, status.code());
    assertTrue(c.cancelled.await(0, TimeUnit.SECONDS));
    return status;
  }
}
