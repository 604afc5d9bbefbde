package dev.rill.server;

import static dev.rill.server.RawHttp2Client.request;
import static dev.rill.server.WireFixtures.HOLD_PATH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.Metadata;
import dev.rill.Status;
import dev.rill.server.RawHttp2Client.GoAway;
import dev.rill.server.RawHttp2Client.Headers;
import dev.rill.server.RawHttp2Client.Ping;
import dev.rill.server.RawHttp2Client.Response;
import dev.rill.server.RawHttp2Client.RstStream;
import io.netty.handler.codec.http2.Http2Error;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Server.shutdown() on the wire: GOAWAY(2^31-1), PING, and after the ack the GOAWAY with the real
 * last stream id; in-flight calls finish within the grace period or are cancelled.
 */
@Timeout(60)
class GracefulShutdownWireTest {
  private final CallProbe probe = new CallProbe();
  private Server server;
  private RawHttp2Client client;

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    WireFixtures.stop(server);
  }

  @Test
  void shutdownSendsTheDoubleGoAwayAndLetsInFlightCallsComplete() throws Exception {
    start(Duration.ofSeconds(30));
    client.headers(1, request(HOLD_PATH), false);
    CallProbe.Call first = probe.nextCall();

    server.shutdown();

    GoAway announce = client.next(0, GoAway.class);
    assertEquals(Integer.MAX_VALUE, announce.lastStreamId(), "first GOAWAY refuses nothing yet");
    assertEquals(Http2Error.NO_ERROR.code(), announce.errorCode());
    Ping ping = client.next(0, Ping.class);
    assertFalse(ping.ack());

    // A stream the client opened before it saw the GOAWAY is still served.
    client.headers(3, request(HOLD_PATH), false);
    CallProbe.Call second = probe.nextCall();
    client.ping(true, ping.data());

    GoAway last = client.next(0, GoAway.class);
    assertEquals(3, last.lastStreamId(), "second GOAWAY names the last stream the server took");
    assertEquals(Http2Error.NO_ERROR.code(), last.errorCode());

    client.headers(5, request(HOLD_PATH), false);
    assertEquals(Http2Error.REFUSED_STREAM.code(), client.next(5, RstStream.class).errorCode());
    assertEquals(0, probe.pending(), "a refused stream reaches no handler");

    for (CallProbe.Call c : List.of(first, second)) {
      c.call.sendMessage("bye");
      c.call.close(Status.OK, new Metadata());
    }
    for (int id : new int[] {1, 3}) {
      Response r = client.response(id);
      assertEquals("0", r.trailers().get("grpc-status"), "stream " + id + " completed");
      assertEquals(Http2Error.NO_ERROR.code(), client.next(id, RstStream.class).errorCode());
    }
    first.awaitCompleted();
    second.awaitCompleted();

    client.awaitClosed();
    assertTrue(server.awaitTermination(RawHttp2Client.TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertTrue(server.isTerminated());
  }

  @Test
  void aCallStillOpenWhenTheGracePeriodEndsIsCancelledAndTheConnectionCloses() throws Exception {
    start(Duration.ofMillis(200));
    client.headers(1, request(HOLD_PATH), false);
    CallProbe.Call stuck = probe.nextCall();

    server.shutdown();
    client.await(0, GoAway.class);
    client.ping(true, client.next(0, Ping.class).data());
    assertEquals(1, client.next(0, GoAway.class).lastStreamId());

    stuck.awaitCancelled();
    assertEquals(Status.Code.CANCELLED, stuck.call.context().cancellationStatus().code());
    client.awaitClosed();
    assertTrue(server.awaitTermination(RawHttp2Client.TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void aConnectionWithoutCallsClosesRightAfterThePingAck() throws Exception {
    start(Duration.ofSeconds(30));

    server.shutdown();
    assertEquals(Integer.MAX_VALUE, client.await(0, GoAway.class).lastStreamId());
    client.ping(true, client.next(0, Ping.class).data());
    assertEquals(0, client.next(0, GoAway.class).lastStreamId(), "no stream was ever taken");

    client.awaitClosed();
    assertTrue(server.awaitTermination(RawHttp2Client.TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void aSecondShutdownWhileDrainingDoesNotCutTheDrainShort() throws Exception {
    start(Duration.ofSeconds(30));
    client.headers(1, request(HOLD_PATH), false);
    CallProbe.Call open = probe.nextCall();

    server.shutdown();
    client.await(0, GoAway.class);
    Ping ping = client.next(0, Ping.class);
    server.shutdown();
    client.pingRoundTrip();
    client.ping(true, ping.data());
    assertEquals(1, client.next(0, GoAway.class).lastStreamId());

    open.call.close(Status.OK, new Metadata());
    assertEquals("0", client.next(1, Headers.class).get("grpc-status"));
    open.awaitCompleted();
    client.awaitClosed();
    assertTrue(server.awaitTermination(RawHttp2Client.TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void shutdownNowDuringADrainCancelsTheRemainingCalls() throws Exception {
    start(Duration.ofSeconds(30));
    client.headers(1, request(HOLD_PATH), false);
    CallProbe.Call open = probe.nextCall();
    server.shutdown();
    client.ping(true, client.await(0, Ping.class).data());
    client.next(0, GoAway.class);

    server.shutdownNow();

    open.awaitCancelled();
    client.awaitClosed();
    assertTrue(server.awaitTermination(RawHttp2Client.TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void shutdownNowCancelsOpenCallsAtOnce() throws Exception {
    start(Duration.ofSeconds(30));
    client.headers(1, request(HOLD_PATH), false);
    CallProbe.Call open = probe.nextCall();

    server.shutdownNow();

    GoAway goAway = client.await(0, GoAway.class);
    assertEquals(1, goAway.lastStreamId());
    open.awaitCancelled();
    client.awaitClosed();
    assertTrue(server.awaitTermination(RawHttp2Client.TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  private void start(Duration grace) throws Exception {
    server = WireFixtures.server(probe).shutdownGracePeriod(grace).build().start();
    client = RawHttp2Client.connect(server.port());
  }
}
