package dev.rill.server;

import static dev.rill.server.RawHttp2Client.END_HEADERS;
import static dev.rill.server.RawHttp2Client.END_STREAM;
import static dev.rill.server.RawHttp2Client.request;
import static dev.rill.server.WireFixtures.HOLD_PATH;
import static dev.rill.server.WireFixtures.UNARY_PATH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.Metadata;
import dev.rill.server.RawHttp2Client.Data;
import dev.rill.server.RawHttp2Client.Frame;
import dev.rill.server.RawHttp2Client.GoAway;
import dev.rill.server.RawHttp2Client.Headers;
import dev.rill.server.RawHttp2Client.Response;
import dev.rill.server.RawHttp2Client.RstStream;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the server answers request headers it cannot serve ("Request headers" of the issue). */
@Timeout(60)
class RequestHeadersWireTest {
  private static final String ACCEPT_ENCODING = "grpc-accept-encoding: gzip,identity";

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
  void aMethodOtherThanPostIsAnswered405WithAPlainTextBody() throws Exception {
    client.headers(1, request(UNARY_PATH).method("GET"), true);

    String message = "method 'GET' is not allowed: gRPC requires POST";
    Headers headers = client.next(1, Headers.class);
    assertEquals(List.of(":status: 405", "content-type: text/plain; charset=utf-8", "grpc-status: 13",
        "grpc-message: " + message), headers.fields());
    assertEquals(END_HEADERS, headers.flags());
    Data body = client.next(1, Data.class);
    assertArrayEquals((message + "\n").getBytes(StandardCharsets.UTF_8), body.bytes());
    assertEquals(END_STREAM, body.flags());
    assertQuiet(1);
  }

  @Test
  void aNonGrpcContentTypeIsAnswered415AndTheStillOpenStreamIsResetWithNoError() throws Exception {
    client.headers(1, request(UNARY_PATH).set("content-type", "application/json"), false);

    String message = "content-type 'application/json' is not a gRPC content type (application/grpc[+proto])";
    Headers headers = client.next(1, Headers.class);
    assertEquals(List.of(":status: 415", "content-type: text/plain; charset=utf-8", "grpc-status: 13",
        "grpc-message: " + message), headers.fields());
    assertFalse(headers.endStream());
    Data body = client.next(1, Data.class);
    assertArrayEquals((message + "\n").getBytes(StandardCharsets.UTF_8), body.bytes());
    assertTrue(body.endStream());
    assertEquals(Http2Error.NO_ERROR.code(), client.next(1, RstStream.class).errorCode());
    assertEquals(0, probe.pending(), "no call reached a handler");
  }

  @Test
  void trailersOfARejectedRequestAreNotTakenForASecondRequest() throws Exception {
    client.cork();
    client.headers(1, request(UNARY_PATH).method("GET"), false);
    client.data(1, new byte[] {1, 2, 3}, false);
    client.headers(1, new DefaultHttp2Headers().add("x-trailer", "t"), true);
    client.uncork();

    assertEquals("405", client.next(1, Headers.class).get(":status"));
    assertTrue(client.next(1, Data.class).endStream());
    List<Frame> connection = client.pingRoundTrip();
    assertTrue(connection.stream().noneMatch(f -> f instanceof GoAway), "connection kept: " + connection);
    // Whether the server's RST_STREAM(NO_ERROR) crossed the trailers decides what else is here.
    assertTrue(client.drain(1).stream().allMatch(f -> f instanceof RstStream), "no second response");

    client.headers(3, request(UNARY_PATH), false);
    client.data(3, RawHttp2Client.message("after"), true);
    assertEquals("0", client.response(3).trailers().get("grpc-status"));
  }

  @Test
  void aContentTypeWithASubtypeOrParametersIsGrpc() throws Exception {
    client.headers(1, request(HOLD_PATH).set("content-type", "application/grpc+proto"), false);
    client.headers(3, request(HOLD_PATH).set("content-type", "application/grpc; charset=utf-8"), false);
    probe.nextCall();
    probe.nextCall();
  }

  @Test
  void anUnknownServiceIsAnsweredTrailersOnlyWithUnimplementedNamingTheService() throws Exception {
    client.headers(1, request("/test.Nope/Unary"), true);

    Headers only = client.next(1, Headers.class);
    assertEquals(List.of(":status: 200", "content-type: application/grpc", ACCEPT_ENCODING, "grpc-status: 12",
        "grpc-message: unknown service test.Nope"), only.fields());
    assertEquals(END_HEADERS | END_STREAM, only.flags());
    assertQuiet(1);
  }

  @Test
  void anUnknownMethodIsAnsweredTrailersOnlyNamingMethodAndServiceThenTheOpenStreamIsReset() throws Exception {
    client.headers(1, request("/test.Echo/Nope"), false);

    Headers only = client.next(1, Headers.class);
    assertEquals(List.of(":status: 200", "content-type: application/grpc", ACCEPT_ENCODING, "grpc-status: 12",
        "grpc-message: unknown method Nope for service test.Echo"), only.fields());
    assertEquals(END_HEADERS | END_STREAM, only.flags());
    assertEquals(Http2Error.NO_ERROR.code(), client.next(1, RstStream.class).errorCode());
  }

  @Test
  void aPathThatIsNotServiceSlashMethodIsUnimplementedAndSaysSo() throws Exception {
    client.headers(1, request("/nope"), true);

    Headers only = client.next(1, Headers.class);
    assertEquals("12", only.get("grpc-status"));
    assertEquals("malformed :path '/nope': expected /package.Service/Method", only.get("grpc-message"));
  }

  @Test
  void requestMetadataOver8KiBIsResourceExhaustedAsTheServerAdvertisedInItsSettings() throws Exception {
    assertEquals(8192L, client.serverSettings().maxHeaderListSize());

    client.headers(1, request(UNARY_PATH).add("x-big", "a".repeat(9000)), true);

    Headers only = client.next(1, Headers.class);
    assertEquals(List.of(":status: 200", "content-type: application/grpc", "grpc-status: 8",
        "grpc-message: request metadata exceeds the limit of 8192 bytes"), only.fields());
    assertEquals(END_HEADERS | END_STREAM, only.flags());
    // Netty resets the stream after its header-size handler answered; a client ignores it.
    assertEquals(Http2Error.PROTOCOL_ERROR.code(), client.next(1, RstStream.class).errorCode());
    assertEquals(0, probe.pending(), "no call reached a handler");

    // The header compression state survived: the connection still serves calls.
    client.headers(3, request(UNARY_PATH), false);
    client.data(3, RawHttp2Client.message("still here"), true);
    Response r = client.response(3);
    assertEquals("0", r.trailers().get("grpc-status"));
  }

  @Test
  void metadataJustUnderTheLimitReachesTheHandlerWithoutTheReservedHeaders() throws Exception {
    Http2Headers headers = request(HOLD_PATH)
        .add("user-agent", "raw-test")
        .add("grpc-timeout", "100S")
        .add("x-custom", "value")
        .add("x-id-bin", "AAEC")
        .add("x-filler", "f".repeat(7000));
    client.headers(1, headers, false);

    Metadata md = probe.nextCall().headers;
    assertEquals("value", md.get("x-custom"));
    assertArrayEquals(new byte[] {0, 1, 2}, md.getBinary("x-id-bin"));
    assertEquals(7000, md.get("x-filler").length());
    for (String reserved : List.of(":path", ":method", "content-type", "te", "user-agent", "grpc-timeout")) {
      assertNull(md.get(reserved), reserved + " is not metadata");
    }
  }

  @ParameterizedTest(name = "grpc-timeout {0}")
  @CsvSource(delimiter = '|', value = {
      "1x          | grpc-timeout: bad unit 'x'",
      "123456789S  | grpc-timeout: more than 8 digits in '123456789S'",
      "-5S         | grpc-timeout: bad digit '-' in '-5S'",
      "S           | grpc-timeout: too short 'S'",
  })
  void aMalformedGrpcTimeoutIsRejectedTrailersOnlyNamingTheFailedCheck(String timeout, String message)
      throws Exception {
    client.headers(1, request(UNARY_PATH).add("grpc-timeout", timeout), true);

    Headers only = client.next(1, Headers.class);
    assertEquals(List.of(":status: 200", "content-type: application/grpc", ACCEPT_ENCODING, "grpc-status: 13",
        "grpc-message: " + message), only.fields());
    assertTrue(only.endStream());
    assertEquals(0, probe.pending(), "no call reached a handler");
  }

  @Test
  void anUnsupportedGrpcEncodingIsUnimplementedAndListsTheAcceptedEncodings() throws Exception {
    client.headers(1, request(UNARY_PATH).add("grpc-encoding", "br"), true);

    Headers only = client.next(1, Headers.class);
    assertEquals(List.of(":status: 200", "content-type: application/grpc", ACCEPT_ENCODING, "grpc-status: 12",
        "grpc-message: grpc-encoding 'br' is not supported (accepted: gzip,identity)"),
        only.fields());
    assertTrue(only.endStream());
  }

  private void assertQuiet(int streamId) throws InterruptedException {
    client.pingRoundTrip();
    assertEquals(List.of(), client.drain(streamId), "nothing more on stream " + streamId);
  }
}
