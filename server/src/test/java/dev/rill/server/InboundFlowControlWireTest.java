package dev.rill.server;

import static dev.rill.server.RawHttp2Client.message;
import static dev.rill.server.RawHttp2Client.request;
import static dev.rill.server.WireFixtures.HOLD_PATH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.server.RawHttp2Client.Frame;
import dev.rill.server.RawHttp2Client.RstStream;
import dev.rill.server.RawHttp2Client.WindowUpdate;
import io.netty.handler.codec.http2.Http2Error;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's inbound flow control: a handler that requests no message holds its stream to the
 * advertised window, and request(n) is what returns the stream window; the connection window is
 * returned as bytes arrive, so one stalled stream never stalls the others.
 */
@Timeout(60)
class InboundFlowControlWireTest {
  private static final int WINDOW = 1024 * 1024;
  /** Two of these, prefix included, fill the window exactly. */
  private static final int HALF = WINDOW / 2;

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
  void theServerAdvertisesAOneMebibyteWindowForStreamsAndTheConnection() {
    assertEquals(WINDOW, client.serverSettings().initialWindowSize());
    // The connection window starts at 65535 and only a WINDOW_UPDATE can raise it.
    assertEquals(List.of(new WindowUpdate(0, WINDOW - 65_535)), windowUpdates(client.openingFrames()));
  }

  @Test
  void unrequestedBytesAreNeverReturnedToTheStreamWindowButAreToTheConnection() throws Exception {
    CallProbe.Call c = fillTheWindow(1);

    awaitReturned(0, WINDOW);
    client.pingRoundTrip();
    assertEquals(List.of(), windowUpdates(client.drain(1)), "no stream WINDOW_UPDATE for unrequested bytes");
    assertTrue(c.messages.isEmpty(), "nothing delivered without a request");
  }

  @Test
  void oneByteBeyondTheStreamWindowResetsOnlyThatStreamWithFlowControlError() throws Exception {
    CallProbe.Call c = fillTheWindow(1);
    client.data(1, new byte[1], false);

    RstStream reset = client.await(1, RstStream.class);
    assertEquals(Http2Error.FLOW_CONTROL_ERROR.code(), reset.errorCode());
    c.awaitCancelled();
    client.headers(3, request(HOLD_PATH), false);
    CallProbe.Call next = probe.nextCall();
    next.call.request(1);
    client.data(3, message("the connection lives on"), false);
    assertEquals("the connection lives on", next.nextMessage());
  }

  @Test
  void requestingAMessageReturnsItsBytesToTheStream() throws Exception {
    CallProbe.Call c = fillTheWindow(1);
    client.pingRoundTrip();

    c.call.request(1);
    assertEquals(HALF - 5, c.nextMessage().length());
    // Netty's local flow controller returns bytes once half the window is consumed: exactly now.
    assertEquals(new WindowUpdate(1, HALF), client.await(1, WindowUpdate.class));

    // The returned half is the client's to use: another message fits and is delivered on request.
    client.data(1, message("x".repeat(HALF - 5)), false);
    c.call.request(2);
    assertEquals(HALF - 5, c.nextMessage().length());
    assertEquals(HALF - 5, c.nextMessage().length());
  }

  @Test
  void aRequestedMessageLargerThanTheWindowCompletesBecauseItsBytesAreReturnedAsTheyArrive() throws Exception {
    int length = WINDOW + HALF;
    byte[] wire = message("y".repeat(length));
    client.headers(1, request(HOLD_PATH), false);
    CallProbe.Call c = probe.nextCall();
    c.call.request(1);

    client.data(1, Arrays.copyOf(wire, WINDOW), false);
    // Every byte of the partial message goes back, to the stream and to the connection (in half-
    // window steps unless the request reached the server after some bytes did).
    awaitReturned(1, WINDOW);
    awaitReturned(0, WINDOW);
    assertTrue(c.messages.isEmpty(), "not delivered before it is whole");

    client.data(1, Arrays.copyOfRange(wire, WINDOW, wire.length), false);
    assertEquals(length, c.nextMessage().length());
  }

  @Test
  void aStalledStreamDoesNotStallTheOtherStreamsOfItsConnection() throws Exception {
    CallProbe.Call first = fillTheWindow(1);
    client.headers(3, request(HOLD_PATH), false);
    CallProbe.Call second = probe.nextCall();
    second.call.request(1);

    client.data(3, message("still flows"), false);
    assertEquals("still flows", second.nextMessage());
    assertTrue(first.messages.isEmpty());
  }

  /** Opens {@code streamId} on the probe and sends two messages that fill the window exactly. */
  private CallProbe.Call fillTheWindow(int streamId) throws InterruptedException {
    client.headers(streamId, request(HOLD_PATH), false);
    CallProbe.Call c = probe.nextCall();
    byte[] half = message("x".repeat(HALF - 5));
    assertEquals(HALF, half.length);
    client.data(streamId, half, false);
    client.data(streamId, half, false);
    return c;
  }

  /** Waits for WINDOW_UPDATEs on {@code streamId} adding up to exactly {@code bytes}. */
  private void awaitReturned(int streamId, int bytes) throws InterruptedException {
    int returned = 0;
    while (returned < bytes) {
      returned += client.await(streamId, WindowUpdate.class).increment();
    }
    assertEquals(bytes, returned, "bytes returned on stream " + streamId);
  }

  private static List<WindowUpdate> windowUpdates(List<Frame> frames) {
    List<WindowUpdate> out = new ArrayList<>();
    for (Frame f : frames) {
      if (f instanceof WindowUpdate w) {
        out.add(w);
      }
    }
    return out;
  }
}
