package dev.rill.server;

import static dev.rill.server.RawHttp2Client.END_HEADERS;
import static dev.rill.server.RawHttp2Client.END_STREAM;
import static dev.rill.server.RawHttp2Client.message;
import static dev.rill.server.RawHttp2Client.request;
import static dev.rill.server.WireFixtures.FAIL_PATH;
import static dev.rill.server.WireFixtures.HOLD_PATH;
import static dev.rill.server.WireFixtures.UNARY_PATH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rill.Metadata;
import dev.rill.Status;
import dev.rill.server.RawHttp2Client.Data;
import dev.rill.server.RawHttp2Client.Headers;
import dev.rill.server.RawHttp2Client.RstStream;
import io.netty.handler.codec.http2.Http2Error;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The frames of a response, exactly ("Responses" of the issue). */
@Timeout(60)
class ResponseWireTest {
  private static final List<String> RESPONSE_HEADERS =
      List.of(":status: 200", "content-type: application/grpc", "grpc-accept-encoding: gzip,identity");

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
  void aUnaryResponseIsExactlyHeadersThenOneDataFrameThenTrailersWithEndStream() throws Exception {
    client.headers(1, request(UNARY_PATH), false);
    client.data(1, message("hello"), true);

    Headers headers = client.next(1, Headers.class);
    assertEquals(RESPONSE_HEADERS, headers.fields());
    assertEquals(END_HEADERS, headers.flags(), "HEADERS: END_HEADERS only");

    Data data = client.next(1, Data.class);
    assertArrayEquals(new byte[] {0, 0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o'}, data.bytes());
    assertEquals(0, data.flags(), "DATA: no END_STREAM, no padding");

    Headers trailers = client.next(1, Headers.class);
    assertEquals(List.of("grpc-status: 0"), trailers.fields());
    assertEquals(END_HEADERS | END_STREAM, trailers.flags());

    assertQuiet(1);
  }

  @Test
  void aResponseToAStillOpenRequestEndsWithRstStreamNoError() throws Exception {
    client.headers(1, request(HOLD_PATH), false);
    ServerCall<String, String> call = probe.nextCall().call;
    call.sendMessage("done early");
    call.close(Status.OK, new Metadata());

    client.next(1, Headers.class);
    client.next(1, Data.class);
    assertEquals(List.of("grpc-status: 0"), client.next(1, Headers.class).fields());
    assertEquals(Http2Error.NO_ERROR.code(), client.next(1, RstStream.class).errorCode());
  }

  @Test
  void customHeadersAndTrailersFollowTheProtocolHeadersAndBinaryValuesAreBase64WithoutPadding()
      throws Exception {
    client.headers(1, request(HOLD_PATH), true);
    CallProbe.Call c = probe.nextCall();
    Metadata headers = new Metadata();
    headers.put("x-header", "h");
    c.call.sendHeaders(headers);
    c.call.sendMessage("m");
    Metadata trailers = new Metadata();
    trailers.put("x-trailer", "t");
    trailers.putBinary("x-data-bin", new byte[] {1, 2, 3, 4});
    c.call.close(Status.OK, trailers);

    Headers h = client.next(1, Headers.class);
    assertEquals(List.of(":status: 200", "content-type: application/grpc", "grpc-accept-encoding: gzip,identity",
        "x-header: h"), h.fields());
    client.next(1, Data.class);
    Headers t = client.next(1, Headers.class);
    assertEquals(List.of("grpc-status: 0", "x-trailer: t", "x-data-bin: AQIDBA"), t.fields());
    c.awaitCompleted();
  }

  @Test
  void anErrorBeforeAnyMessageIsTrailersOnlyInOneHeadersFrame() throws Exception {
    client.headers(1, request(FAIL_PATH), false);
    client.data(1, message("no such thing"), true);

    Headers only = client.next(1, Headers.class);
    assertEquals(List.of(":status: 200", "content-type: application/grpc", "grpc-accept-encoding: gzip,identity",
        "grpc-status: 5", "grpc-message: no such thing"), only.fields());
    assertEquals(END_HEADERS | END_STREAM, only.flags());
    assertQuiet(1);
  }

  @Test
  void sharedHeaderBlocksOfPlainCallsAreUntouchedByLaterCallsWithMetadataOrTrailersOnly() throws Exception {
    client.headers(1, request(UNARY_PATH), false);
    client.data(1, message("a"), true);
    assertEquals(RESPONSE_HEADERS, client.next(1, Headers.class).fields());
    client.next(1, Data.class);
    assertEquals(List.of("grpc-status: 0"), client.next(1, Headers.class).fields());

    client.headers(3, request(HOLD_PATH), true);
    CallProbe.Call c = probe.nextCall();
    c.call.close(Status.NOT_FOUND, new Metadata().put("x-only", "o"));
    assertEquals(List.of(":status: 200", "content-type: application/grpc", "grpc-accept-encoding: gzip,identity",
        "grpc-status: 5", "x-only: o"), client.next(3, Headers.class).fields());
    c.awaitCompleted();

    client.headers(5, request(HOLD_PATH), true);
    c = probe.nextCall();
    c.call.sendHeaders(new Metadata().put("x-header", "h"));
    c.call.sendMessage("m");
    c.call.close(Status.OK, new Metadata().put("x-trailer", "t"));
    client.next(5, Headers.class);
    client.next(5, Data.class);
    assertEquals(List.of("grpc-status: 0", "x-trailer: t"), client.next(5, Headers.class).fields());
    c.awaitCompleted();

    client.headers(7, request(UNARY_PATH), false);
    client.data(7, message("b"), true);
    assertEquals(RESPONSE_HEADERS, client.next(7, Headers.class).fields());
    client.next(7, Data.class);
    assertEquals(List.of("grpc-status: 0"), client.next(7, Headers.class).fields());
  }

  @Test
  void anErrorAfterAMessageGoesInTheTrailersAfterTheData() throws Exception {
    client.headers(1, request(HOLD_PATH), true);
    CallProbe.Call c = probe.nextCall();
    c.call.sendMessage("partial");
    c.call.close(Status.ABORTED.withDescription("stopped"), new Metadata());

    assertEquals(RESPONSE_HEADERS, client.next(1, Headers.class).fields());
    client.next(1, Data.class);
    Headers trailers = client.next(1, Headers.class);
    assertEquals(List.of("grpc-status: 10", "grpc-message: stopped"), trailers.fields());
    assertEquals(END_HEADERS | END_STREAM, trailers.flags());
  }

  /**
   * PROTOCOL-HTTP2.md: grpc-message is the UTF-8 of the description with every byte outside
   * %x20-%x7E, and '%' itself, written as '%' and two upper-case hex digits.
   */
  @Test
  void grpcMessageIsPercentEncodedUtf8AsTheSpecDefinesIt() throws Exception {
    String description = "naïve ☃ 😀 100%\r\n\tdone ~";
    client.headers(1, request(FAIL_PATH), false);
    client.data(1, message(description), true);

    Headers only = client.next(1, Headers.class);
    assertEquals("na%C3%AFve %E2%98%83 %F0%9F%98%80 100%25%0D%0A%09done ~", only.get("grpc-message"));
    assertEquals("5", only.get("grpc-status"));
  }

  @Test
  void everyControlCharacterIsEncodedNotJustCrLfAndTab() throws Exception {
    client.headers(1, request(FAIL_PATH), false);
    client.data(1, message("\u0000\u001f\u007f"), true);

    assertEquals("%00%1F%7F", client.next(1, Headers.class).get("grpc-message"));
  }

  private void assertQuiet(int streamId) throws InterruptedException {
    client.pingRoundTrip();
    assertEquals(List.of(), client.drain(streamId), "nothing more on stream " + streamId);
  }
}
