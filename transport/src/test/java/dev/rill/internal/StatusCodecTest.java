package dev.rill.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.Metadata;
import dev.rill.Status;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class StatusCodecTest {

  private static List<String> names(Http2Headers h) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<CharSequence, CharSequence> e : h) {
      out.add(e.getKey().toString());
    }
    return out;
  }

  @Test
  void encodesTrailersWithStatusAndNothingElseForAPlainOk() {
    Http2Headers h = StatusCodec.encodeTrailers(Status.OK, new Metadata(), false);
    assertEquals(List.of("grpc-status"), names(h));
    assertEquals("0", h.get("grpc-status").toString());
  }

  @Test
  void encodesTheDescriptionPercentEncodedAndTheMetadataAfterIt() {
    Metadata trailers = new Metadata().put("x-a", "1").putBinary("x-bin", new byte[] {1, 2});
    Http2Headers h = StatusCodec.encodeTrailers(
        Status.INVALID_ARGUMENT.withDescription("100% wrong\n\u263A"), trailers, false);
    assertEquals(List.of("grpc-status", "grpc-message", "x-a", "x-bin"), names(h));
    assertEquals("3", h.get("grpc-status").toString());
    assertEquals("100%25 wrong%0A%E2%98%BA", h.get("grpc-message").toString());
    assertEquals("AQI", h.get("x-bin").toString());
    assertNull(h.status(), "trailers carry no :status");
    assertNull(h.get("content-type"));
  }

  @Test
  void encodesTrailersOnlyWithStatus200AndContentType() {
    Http2Headers h = StatusCodec.encodeTrailers(
        Status.UNIMPLEMENTED.withDescription("no such method"), new Metadata().put("x-a", "1"), true);
    assertEquals(List.of(":status", "content-type", "grpc-status", "grpc-message", "x-a"), names(h));
    assertEquals("200", h.status().toString());
    assertEquals("application/grpc", h.get("content-type").toString());
    assertEquals("12", h.get("grpc-status").toString());
    assertEquals(Status.UNIMPLEMENTED.withDescription("no such method"), StatusCodec.decodeStatus(h));
  }

  @Test
  void neverLetsMetadataOverrideTheStatus() {
    Metadata sneaky = new Metadata().put("grpc-status", "0").put("grpc-message", "fine");
    Http2Headers h = StatusCodec.encodeTrailers(Status.INTERNAL, sneaky, false);
    assertEquals(List.of("grpc-status"), names(h));
    assertEquals(Status.INTERNAL, StatusCodec.decodeStatus(h));
  }

  @ParameterizedTest
  @EnumSource(Status.Code.class)
  void roundTripsEveryCode(Status.Code code) {
    Http2Headers h = StatusCodec.encodeTrailers(code.toStatus(), new Metadata(), false);
    assertEquals(Integer.toString(code.value()), h.get("grpc-status").toString());
    assertEquals(code.toStatus(), StatusCodec.decodeStatus(h));
  }

  @Test
  void roundTripsTheInteropSpecialStatusMessage() {
    String message = "\t\ntest with whitespace\r\nand Unicode BMP \u263A and non-BMP \uD83D\uDE08\t\n";
    Status status = Status.UNKNOWN.withDescription(message);
    Http2Headers h = StatusCodec.encodeTrailers(status, new Metadata(), false);
    assertEquals(status, StatusCodec.decodeStatus(h));
  }

  @Test
  void decodesAStatusAndDecodesItsMessage() {
    Http2Headers h = new DefaultHttp2Headers(false);
    h.add("grpc-status", "5");
    h.add("grpc-message", "no %E2%98%BA here");
    Status s = StatusCodec.decodeStatus(h);
    assertEquals(Status.Code.NOT_FOUND, s.code());
    assertEquals("no \u263A here", s.description());
  }

  @Test
  void aMissingStatusIsUnknownNeverOk() {
    Status s = StatusCodec.decodeStatus(new DefaultHttp2Headers(false));
    assertEquals(Status.Code.UNKNOWN, s.code());
    assertEquals("missing grpc-status in response trailers", s.description());

    Http2Headers withOkHttp = new DefaultHttp2Headers(false).status("200");
    withOkHttp.add("grpc-message", "looks fine");
    assertEquals(Status.Code.UNKNOWN, StatusCodec.decodeStatus(withOkHttp).code());
  }

  @Test
  void aMissingStatusWithAnErrorHttpStatusMapsTheHttpStatus() {
    Http2Headers h = new DefaultHttp2Headers(false).status("503");
    Status s = StatusCodec.decodeStatus(h);
    assertEquals(Status.Code.UNAVAILABLE, s.code());
    assertEquals("HTTP status code 503", s.description());
  }

  @Test
  void aPresentStatusWinsOverTheHttpStatus() {
    Http2Headers h = new DefaultHttp2Headers(false).status("503");
    h.add("grpc-status", "8");
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, StatusCodec.decodeStatus(h).code());
  }

  @ParameterizedTest
  @ValueSource(strings = {"17", "99", "-1", "2147483648"})
  void anUnknownStatusValueIsUnknownNamingIt(String value) {
    Http2Headers h = new DefaultHttp2Headers(false);
    h.add("grpc-status", value);
    Status s = StatusCodec.decodeStatus(h);
    assertEquals(Status.Code.UNKNOWN, s.code());
    assertTrue(s.description().contains(value), s.description());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "ok", "1.0", "0x1", " "})
  void aStatusThatIsNotANumberIsUnknownNamingIt(String value) {
    Http2Headers h = new DefaultHttp2Headers(false);
    h.add("grpc-status", value);
    Status s = StatusCodec.decodeStatus(h);
    assertEquals(Status.Code.UNKNOWN, s.code());
    assertEquals("grpc-status: not a number '" + value + "'", s.description());
    assertFalse(s.isOk());
  }

  @ParameterizedTest(name = "HTTP {0} -> {1}")
  @CsvSource({
    "400, INTERNAL",
    "401, UNAUTHENTICATED",
    "403, PERMISSION_DENIED",
    "404, UNIMPLEMENTED",
    "429, UNAVAILABLE",
    "431, INTERNAL",
    "502, UNAVAILABLE",
    "503, UNAVAILABLE",
    "504, UNAVAILABLE",
    "200, UNKNOWN",
    "204, UNKNOWN",
    "301, UNKNOWN",
    "405, UNKNOWN",
    "415, UNKNOWN",
    "500, UNKNOWN",
    "501, UNKNOWN",
    "100, UNKNOWN",
  })
  void mapsHttpStatusAsHttpGrpcStatusMappingSays(String http, Status.Code code) {
    Status s = StatusCodec.fromHttpStatus(http);
    assertEquals(code, s.code());
    assertEquals("HTTP status code " + http, s.description());
  }

  @Test
  void anHttpStatusThatIsNotANumberIsInternal() {
    Status s = StatusCodec.fromHttpStatus("abc");
    assertEquals(Status.Code.INTERNAL, s.code());
    assertEquals(":status: not a number 'abc'", s.description());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "NO_ERROR, INTERNAL",
    "PROTOCOL_ERROR, INTERNAL",
    "INTERNAL_ERROR, INTERNAL",
    "FLOW_CONTROL_ERROR, INTERNAL",
    "SETTINGS_TIMEOUT, INTERNAL",
    "STREAM_CLOSED, INTERNAL",
    "FRAME_SIZE_ERROR, INTERNAL",
    "REFUSED_STREAM, UNAVAILABLE",
    "CANCEL, CANCELLED",
    "COMPRESSION_ERROR, INTERNAL",
    "CONNECT_ERROR, INTERNAL",
    "ENHANCE_YOUR_CALM, RESOURCE_EXHAUSTED",
    "INADEQUATE_SECURITY, PERMISSION_DENIED",
    "HTTP_1_1_REQUIRED, INTERNAL",
  })
  void mapsRstStreamCodesAsProtocolHttp2Says(Http2Error error, Status.Code code) {
    Status s = StatusCodec.fromRstStream(error.code());
    assertEquals(code, s.code());
    assertEquals("stream reset by peer with " + error.name(), s.description());
  }

  @ParameterizedTest
  @EnumSource(Http2Error.class)
  void mapsEveryRstStreamCode(Http2Error error) {
    assertFalse(StatusCodec.fromRstStream(error.code()).isOk());
  }

  @Test
  void mapsAnUnknownRstStreamCodeToInternalNamingItInHex() {
    Status s = StatusCodec.fromRstStream(0xff);
    assertEquals(Status.Code.INTERNAL, s.code());
    assertEquals("stream reset by peer with 0xff", s.description());
  }
}
