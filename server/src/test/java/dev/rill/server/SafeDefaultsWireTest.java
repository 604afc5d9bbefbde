package dev.rill.server;

import static dev.rill.server.RawHttp2Client.request;
import static dev.rill.server.WireFixtures.HOLD_PATH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.Metadata;
import dev.rill.Status;
import dev.rill.server.RawHttp2Client.GoAway;
import dev.rill.server.RawHttp2Client.Headers;
import dev.rill.server.RawHttp2Client.RstStream;
import dev.rill.server.RawHttp2Client.Settings;
import dev.rill.server.RawHttp2Client.WindowUpdate;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Settings;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The limits a server applies without being configured ("Safe defaults" of the issue). */
@Timeout(60)
class SafeDefaultsWireTest {
  private static final int HEADERS = 0x1;
  private static final int CONTINUATION = 0x9;

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
  void theServerOpensWithSettingsAdvertisingItsLimitsThenWidensTheConnectionWindow() throws Exception {
    start(UnaryOperator.identity());

    Http2Settings expected = new Http2Settings()
        .maxConcurrentStreams(1000).initialWindowSize(1024 * 1024).maxHeaderListSize(8192);
    assertEquals(List.of(new Settings(false, expected), new WindowUpdate(0, 1024 * 1024 - 65_535),
        new Settings(true, null)), client.openingFrames());
  }

  @Test
  void aRapidResetFloodGetsTheConnectionClosedWithEnhanceYourCalm() throws Exception {
    start(UnaryOperator.identity());

    // Http2Limits allows MAX_RST_FRAMES_PER_WINDOW resets per window: one more closes the connection.
    // Not one frame more: bytes arriving after the server closed would make it answer with a TCP
    // reset, which can discard the GOAWAY still unread in this client's receive buffer.
    for (int i = 0; i <= dev.rill.internal.Http2Limits.MAX_RST_FRAMES_PER_WINDOW; i++) {
      int id = 1 + 2 * i;
      client.headers(id, request(HOLD_PATH), false);
      client.rstStream(id, Http2Error.CANCEL);
    }

    GoAway goAway = client.await(0, GoAway.class);
    assertEquals(Http2Error.ENHANCE_YOUR_CALM.code(), goAway.errorCode());
    // Netty names no last stream on a hard shutdown (netty/netty#10670): 2^31-1.
    assertEquals(Integer.MAX_VALUE, goAway.lastStreamId());
    assertTrue(goAway.debugData().contains("RST frames"), goAway.debugData());
    client.awaitClosed();
  }

  @Test
  void aFloodOfEmptyDataFramesGetsTheConnectionClosed() throws Exception {
    start(UnaryOperator.identity());
    client.headers(1, request(HOLD_PATH), false);
    probe.nextCall();

    for (int i = 0; i < 3; i++) {
      client.data(1, new byte[0], false);
    }

    assertEquals(Http2Error.ENHANCE_YOUR_CALM.code(), client.await(0, GoAway.class).errorCode());
    client.awaitClosed();
  }

  @Test
  void aFloodOfTinyContinuationFramesGetsTheConnectionClosed() throws Exception {
    start(UnaryOperator.identity());

    // 0x82 is HPACK's indexed ":method: GET"; the block never ends.
    client.frame(HEADERS, 0, 1, new byte[] {(byte) 0x82});
    for (int i = 0; i < 20; i++) {
      client.frame(CONTINUATION, 0, 1, new byte[] {(byte) 0x82});
    }

    assertEquals(Http2Error.ENHANCE_YOUR_CALM.code(), client.await(0, GoAway.class).errorCode());
    client.awaitClosed();
  }

  @Test
  void aStreamBeyondTheAdvertisedDefaultOfAThousandIsRefused() throws Exception {
    start(UnaryOperator.identity());

    for (int i = 0; i < 1000; i++) {
      client.headers(1 + 2 * i, request(HOLD_PATH), false);
    }
    client.headers(2001, request(HOLD_PATH), false);

    assertEquals(Http2Error.REFUSED_STREAM.code(), client.next(2001, RstStream.class).errorCode());
    for (int i = 0; i < 1000; i++) {
      probe.nextCall();
    }
  }

  @Test
  void streamsBeyondAConfiguredLimitAreRefusedUntilOneCloses() throws Exception {
    start(b -> b.maxConcurrentStreams(2));
    assertEquals(2L, client.serverSettings().maxConcurrentStreams());

    client.headers(1, request(HOLD_PATH).add("x-id", "1"), false);
    client.headers(3, request(HOLD_PATH).add("x-id", "3"), false);
    CallProbe.Call first = probe.call("1");
    probe.call("3");
    client.headers(5, request(HOLD_PATH), true);

    assertEquals(Http2Error.REFUSED_STREAM.code(), client.next(5, RstStream.class).errorCode());
    client.pingRoundTrip();
    assertEquals(0, probe.pending(), "a refused stream reaches no handler");

    first.call.close(Status.OK, new Metadata());
    Headers only = client.next(1, Headers.class);
    assertEquals("0", only.get("grpc-status"));
    assertEquals(Http2Error.NO_ERROR.code(), client.next(1, RstStream.class).errorCode(), "slot freed");

    client.headers(7, request(HOLD_PATH), false);
    probe.nextCall();
  }

  private void start(UnaryOperator<Server.Builder> configure) throws Exception {
    server = configure.apply(WireFixtures.server(probe)).build().start();
    client = RawHttp2Client.connect(server.port());
  }
}
