package dev.rill.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.Metadata;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.ReadOnlyHttp2Headers;
import io.netty.util.AsciiString;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MetadataCodecTest {

  private static Http2Headers headers(String... namesAndValues) {
    Http2Headers h = new DefaultHttp2Headers(false);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      h.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return h;
  }

  private static List<String> wire(Metadata m) {
    Http2Headers h = ReadOnlyHttp2Headers.trailers(false, MetadataCodec.fields(0, m));
    List<String> out = new ArrayList<>();
    for (Map.Entry<CharSequence, CharSequence> e : h) {
      out.add(e.getKey() + "=" + e.getValue());
    }
    return out;
  }

  @Test
  void sendsAsciiValuesAsTheyAre() {
    Metadata m = new Metadata().put("x-a", "hello world").put("x-a", "again").put("x-b", "");
    assertEquals(List.of("x-a=hello world", "x-a=again", "x-b="), wire(m));
  }

  @ParameterizedTest
  @CsvSource({"'', ''", "01, AQ", "0102, AQI", "010203, AQID", "01020304, AQIDBA", "fbff, +/8"})
  void sendsBinaryValuesAsUnpaddedBase64(String hex, String base64) {
    byte[] bytes = new byte[hex.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    assertEquals(List.of("x-bin=" + base64), wire(new Metadata().putBinary("x-bin", bytes)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"content-type", "te", "user-agent", "grpc-status", "grpc-message", "grpc-timeout",
      "grpc-encoding", "grpc-accept-encoding", "host", "connection"})
  void neverSendsReservedHeadersFromMetadata(String reserved) {
    Metadata m = new Metadata().put(reserved, "sneaky").put("x-ok", "1");
    assertEquals(List.of("x-ok=1"), wire(m));
  }

  @Test
  void twoSourcesFollowTheLeadingPairsFirstThenSecondWithReservedKeysDropped() {
    AsciiString[] fields = MetadataCodec.fields(1, new Metadata().put("x-first", "1").put("te", "x"),
        new Metadata().put("x-second", "2"));
    assertEquals(6, fields.length);
    assertNull(fields[0]);
    assertEquals("x-first", fields[2].toString());
    assertEquals("x-second", fields[4].toString());
    assertEquals("2", fields[5].toString());
  }

  @Test
  void leavesTheLeadingPairsToTheCallerAndDropsReservedKeysWithoutGaps() {
    AsciiString[] fields = MetadataCodec.fields(1, new Metadata().put("x-a", "1").put("te", "x").put("x-b", "2"));
    assertEquals(6, fields.length);
    assertNull(fields[0]);
    assertNull(fields[1]);
    assertEquals("x-a", fields[2].toString());
    assertEquals("1", fields[3].toString());
    assertEquals("x-b", fields[4].toString());
    assertEquals("2", fields[5].toString());
  }

  @Test
  void reservedHeadersNeverSurfaceInMetadata() {
    Http2Headers h = new DefaultHttp2Headers(false)
        .method("POST").scheme("https").path("/pkg.Svc/Method").authority("example.com").status("200");
    h.add("content-type", "application/grpc+proto");
    h.add("te", "trailers");
    h.add("user-agent", "grpc-java-netty/1.79.0");
    h.add("grpc-status", "0");
    h.add("grpc-message", "ok");
    h.add("grpc-timeout", "1S");
    h.add("grpc-encoding", "gzip");
    h.add("grpc-accept-encoding", "gzip,identity");
    h.add("host", "example.com");
    h.add("connection", "keep-alive");
    h.add("x-custom", "kept");
    Metadata m = MetadataCodec.fromHeaders(h);
    assertEquals(1, m.size(), m::toString);
    assertEquals("kept", m.get("x-custom"));
  }

  @ParameterizedTest
  @ValueSource(strings = {":path", ":status", ":method", ":scheme", ":authority", ":protocol", "", "te",
      "content-type", "user-agent", "grpc-status", "grpc-message"})
  void reservedNamesAreRecognised(String name) {
    assertTrue(GrpcHeaders.isReserved(name));
    assertTrue(GrpcHeaders.isReserved(AsciiString.of(name)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"x-custom", "authorization", "grpc-status-details-bin", "grpc-trace-bin", "tea"})
  void otherNamesAreNotReserved(String name) {
    assertFalse(GrpcHeaders.isReserved(name));
  }

  @Test
  void keepsRepeatedHeadersInOrder() {
    Metadata m = MetadataCodec.fromHeaders(headers("x-a", "1", "x-b", "2", "x-a", "3"));
    assertEquals(List.of("1", "3"), m.getAll("x-a"));
    assertEquals("x-a", m.key(0));
    assertEquals("x-b", m.key(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"AQI=", "AQI"})
  void decodesPaddedAndUnpaddedBase64(String value) {
    Metadata m = MetadataCodec.fromHeaders(headers("x-bin", value));
    assertArrayEquals(new byte[] {1, 2}, m.getBinary("x-bin"));
  }

  @Test
  void decodesAnEmptyBinaryValue() {
    Metadata m = MetadataCodec.fromHeaders(headers("x-bin", ""));
    assertArrayEquals(new byte[0], m.getBinary("x-bin"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"AQI,AQID,AQ", "AQI=,AQID,AQ==", "AQI, AQID , AQ"})
  void splitsCommaJoinedBinaryValuesBeforeDecoding(String joined) {
    Metadata m = MetadataCodec.fromHeaders(headers("x-bin", joined));
    List<byte[]> values = m.getAllBinary("x-bin");
    assertEquals(3, values.size());
    assertArrayEquals(new byte[] {1, 2}, values.get(0));
    assertArrayEquals(new byte[] {1, 2, 3}, values.get(1));
    assertArrayEquals(new byte[] {1}, values.get(2));
  }

  @Test
  void doesNotSplitAsciiValuesOnCommas() {
    Metadata m = MetadataCodec.fromHeaders(headers("x-list", "a,b, c"));
    assertEquals(List.of("a,b, c"), m.getAll("x-list"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"!!!", "AQI===", "A", "AQI,***", "AQ-_"})
  void rejectsBadBase64NamingTheKey(String value) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MetadataCodec.fromHeaders(headers("x-ok", "1", "trace-bin", value)));
    assertEquals("metadata key 'trace-bin': invalid base64 value", e.getMessage());
    assertInstanceOf(IllegalArgumentException.class, e.getCause(), "the decoder's reason is kept");
  }

  @Test
  void rejectsAControlCharacterInAnAsciiValueNamingTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MetadataCodec.fromHeaders(headers("x-a", "line\nbreak")));
    assertTrue(e.getMessage().startsWith("metadata value for 'x-a': non-printable character 0xa"),
        e.getMessage());
  }

  @Test
  void rejectsAHeaderNameThatIsNotAValidMetadataKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MetadataCodec.fromHeaders(headers("x!y", "v")));
    assertTrue(e.getMessage().startsWith("metadata key 'x!y': bad character '!'"), e.getMessage());
  }

  @Test
  void roundTripsAsciiAndBinaryValues() {
    Random random = new Random(7);
    Metadata sent = new Metadata();
    for (int i = 0; i < 200; i++) {
      if (random.nextBoolean()) {
        byte[] blob = new byte[random.nextInt(40)];
        random.nextBytes(blob);
        sent.putBinary("k" + random.nextInt(5) + "-bin", blob);
      } else {
        StringBuilder value = new StringBuilder();
        for (int j = random.nextInt(30); j > 0; j--) {
          value.append((char) (0x20 + random.nextInt(0x5f)));
        }
        sent.put("k" + random.nextInt(5), value.toString().strip());
      }
    }
    Http2Headers h = ReadOnlyHttp2Headers.trailers(false, MetadataCodec.fields(0, sent));
    for (Map.Entry<CharSequence, CharSequence> e : h) {
      if (Metadata.isBinaryKey(e.getKey().toString())) {
        assertFalse(e.getValue().toString().contains("="), "unpadded: " + e.getValue());
      }
    }
    Metadata received = MetadataCodec.fromHeaders(h);
    assertEquals(sent.size(), received.size());
    for (int i = 0; i < sent.size(); i++) {
      assertEquals(sent.key(i), received.key(i));
      if (sent.value(i) instanceof byte[]) {
        assertArrayEquals((byte[]) sent.value(i), (byte[]) received.value(i), "entry " + i);
      } else {
        assertEquals(sent.value(i), received.value(i), "entry " + i);
      }
    }
  }

  @Test
  void decodesWhatOtherImplementationsSendPadded() {
    byte[] blob = new byte[] {10, 20, 30, 40, 50};
    String padded = Base64.getEncoder().encodeToString(blob);
    assertTrue(padded.endsWith("="));
    assertArrayEquals(blob, MetadataCodec.fromHeaders(headers("x-bin", padded)).getBinary("x-bin"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/grpc", "application/grpc+proto", "application/grpc;charset=utf-8",
      "Application/GRPC+json"})
  void recognisesGrpcContentTypes(String contentType) {
    assertTrue(GrpcHeaders.isGrpcContentType(contentType));
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json", "application/grpcx", "application/grp", "text/html", ""})
  void rejectsOtherContentTypes(String contentType) {
    assertFalse(GrpcHeaders.isGrpcContentType(contentType));
    assertFalse(GrpcHeaders.isGrpcContentType(null));
  }
}
