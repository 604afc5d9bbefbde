package dev.rill.server;

import static dev.rill.server.RawHttp2Client.message;
import static dev.rill.server.RawHttp2Client.messages;
import static dev.rill.server.RawHttp2Client.request;
import static dev.rill.server.WireFixtures.COLLECT_PATH;
import static dev.rill.server.WireFixtures.UNARY_PATH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.server.RawHttp2Client.Headers;
import dev.rill.server.RawHttp2Client.Response;
import dev.rill.server.RawHttp2Client.RstStream;
import io.netty.handler.codec.http2.Http2Error;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Length-prefixed messages as the wire cuts them ("Framing" of the issue). */
@Timeout(60)
class FramingWireTest {
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
  void aMessageSplitAcrossManyDataFramesIsReassembled() throws Exception {
    byte[] payload = new byte[40_000];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) ('a' + i % 26);
    }
    byte[] wire = message(0, payload);
    client.headers(1, request(UNARY_PATH), false);
    // The first cut falls inside the 5-byte prefix, the rest every 999 bytes.
    client.data(1, Arrays.copyOfRange(wire, 0, 3), false);
    for (int from = 3; from < wire.length; from += 999) {
      int to = Math.min(wire.length, from + 999);
      client.data(1, Arrays.copyOfRange(wire, from, to), to == wire.length);
    }

    Response r = client.response(1);
    assertEquals("0", r.trailers().get("grpc-status"));
    assertArrayEquals(wire, r.body(), "echoed as one message");
  }

  @Test
  void aMessageSentOneBytePerDataFrameIsReassembled() throws Exception {
    byte[] wire = message("byte by byte");
    client.headers(1, request(UNARY_PATH), false);
    for (int i = 0; i < wire.length; i++) {
      client.data(1, new byte[] {wire[i]}, i == wire.length - 1);
    }

    Response r = client.response(1);
    assertEquals("0", r.trailers().get("grpc-status"));
    assertArrayEquals(wire, r.body());
  }

  @Test
  void severalMessagesInOneDataFrameAreEachDelivered() throws Exception {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.writeBytes(message("a"));
    frame.writeBytes(message(""));
    frame.writeBytes(message("bc"));
    frame.writeBytes(message("d"));
    client.headers(1, request(COLLECT_PATH), false);
    client.data(1, frame.toByteArray(), true);

    Response r = client.response(1);
    assertEquals("0", r.trailers().get("grpc-status"));
    assertEquals(List.of("a||bc|d"), strings(r.body()));
  }

  @Test
  void aMessageAndTheEndOfStreamMayArriveInSeparateFramesIncludingAnEmptyDataFrame() throws Exception {
    client.headers(1, request(UNARY_PATH), false);
    client.data(1, message("x"), false);
    client.data(1, new byte[0], true);

    Response r = client.response(1);
    assertEquals("0", r.trailers().get("grpc-status"));
    assertEquals(List.of("x"), strings(r.body()));
  }

  @Test
  void anEmptyMessageIsAFiveBytePrefixAndIsEchoedAsOne() throws Exception {
    client.headers(1, request(UNARY_PATH), false);
    client.data(1, new byte[] {0, 0, 0, 0, 0}, true);

    Response r = client.response(1);
    assertEquals("0", r.trailers().get("grpc-status"));
    assertArrayEquals(new byte[] {0, 0, 0, 0, 0}, r.body());
  }

  @Test
  void reservedFlagBitsFailTheCallWithInternal() throws Exception {
    client.headers(1, request(UNARY_PATH), false);
    client.data(1, message(0x02, "x".getBytes(StandardCharsets.UTF_8)), true);

    Headers only = client.next(1, Headers.class);
    assertTrue(only.endStream(), "Trailers-Only");
    assertEquals("200", only.get(":status"));
    assertEquals("13", only.get("grpc-status"));
    assertEquals("grpc frame: reserved flag bits set (flags 0x2)", only.get("grpc-message"));
  }

  @Test
  void aMessageDeclaredOverFourMebibytesIsResourceExhaustedBeforeItsBodyIsSent() throws Exception {
    int declared = 4 * 1024 * 1024 + 1;
    client.headers(1, request(UNARY_PATH), false);
    client.data(1, new byte[] {0, (byte) (declared >>> 24), (byte) (declared >>> 16), (byte) (declared >>> 8),
        (byte) declared}, false);

    // Only the prefix was sent: the answer proves the server judged it without waiting for the body.
    Headers only = client.next(1, Headers.class);
    assertTrue(only.endStream(), "Trailers-Only");
    assertEquals("8", only.get("grpc-status"));
    assertEquals("grpc frame: message of 4194305 bytes exceeds the limit of 4194304 bytes",
        only.get("grpc-message"));
    assertEquals(Http2Error.NO_ERROR.code(), client.next(1, RstStream.class).errorCode(),
        "the client, still sending, is told to stop");
  }

  @Test
  void aMessageDeclaredAtTheFourGibibyteMarkIsRejectedToo() throws Exception {
    client.headers(1, request(UNARY_PATH), false);
    client.data(1, new byte[] {0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, false);

    Headers only = client.next(1, Headers.class);
    assertEquals("8", only.get("grpc-status"));
    assertEquals("grpc frame: message of 4294967295 bytes exceeds the limit of 4194304 bytes",
        only.get("grpc-message"));
  }

  @Test
  void aGzipCompressedMessageIsDecompressedWhenTheRequestDeclaresGzip() throws Exception {
    byte[] text = "compressed on the wire ".repeat(20).getBytes(StandardCharsets.UTF_8);
    client.headers(1, request(UNARY_PATH).add("grpc-encoding", "gzip"), false);
    client.data(1, message(1, gzip(text)), true);

    Response r = client.response(1);
    assertEquals("0", r.trailers().get("grpc-status"));
    assertNull(r.headers().get("grpc-encoding"), "the response is not compressed unless the handler asks");
    assertArrayEquals(message(0, text), r.body());
  }

  @Test
  void theCompressedFlagWithoutGrpcEncodingIsInternal() throws Exception {
    client.headers(1, request(UNARY_PATH), false);
    client.data(1, message(1, gzip("x".getBytes(StandardCharsets.UTF_8))), true);

    Headers only = client.next(1, Headers.class);
    assertTrue(only.endStream(), "Trailers-Only");
    assertEquals("13", only.get("grpc-status"));
    assertEquals("grpc frame: compressed flag set but the request declared no grpc-encoding",
        only.get("grpc-message"));
  }

  @Test
  void theCompressedFlagWithIdentityEncodingIsInternal() throws Exception {
    client.headers(1, request(UNARY_PATH).add("grpc-encoding", "identity"), false);
    client.data(1, message(1, "x".getBytes(StandardCharsets.UTF_8)), true);

    Headers only = client.next(1, Headers.class);
    assertEquals("13", only.get("grpc-status"));
  }

  @Test
  void corruptGzipIsInternalNamingTheCodec() throws Exception {
    client.headers(1, request(UNARY_PATH).add("grpc-encoding", "gzip"), false);
    client.data(1, message(1, "not gzip at all".getBytes(StandardCharsets.UTF_8)), true);

    Headers only = client.next(1, Headers.class);
    assertEquals("13", only.get("grpc-status"));
    assertTrue(only.get("grpc-message").startsWith("gzip: cannot decompress request"), only.get("grpc-message"));
  }

  @Test
  void aStreamThatEndsInsideAMessageIsInternal() throws Exception {
    client.headers(1, request(UNARY_PATH), false);
    byte[] wire = message("truncated");
    client.data(1, Arrays.copyOf(wire, wire.length - 2), true);

    Headers only = client.next(1, Headers.class);
    assertEquals("13", only.get("grpc-status"));
    assertEquals("grpc frame: stream ended inside a message (7 of 9 bytes)", only.get("grpc-message"));
    client.pingRoundTrip();
    assertEquals(List.of(), client.drain(1), "the client ended the stream: no RST_STREAM");
  }

  @Test
  void aUnaryRequestWithTwoMessagesIsInternal() throws Exception {
    client.headers(1, request(UNARY_PATH), false);
    ByteArrayOutputStream two = new ByteArrayOutputStream();
    two.writeBytes(message("one"));
    two.writeBytes(message("two"));
    client.data(1, two.toByteArray(), true);

    Response r = client.response(1);
    assertEquals("13", r.trailers().get("grpc-status"));
    assertEquals("too many requests: UNARY method takes one", r.trailers().get("grpc-message"));
  }

  private static List<String> strings(byte[] body) {
    return messages(body).stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
  }

  private static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}
