package dev.rill.server;

import static dev.rill.server.RawHttp2Client.message;
import static dev.rill.server.RawHttp2Client.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.rill.Metadata;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ServerCall#isMessageCompressed}: how each request message arrived, seen from onMessage. */
@Timeout(60)
class MessageCompressedFlagTest {
  private static final String PATH = "/test.Echo/Collect";

  private final BlockingQueue<String> seen = new LinkedBlockingQueue<>();
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
  void eachMessageTellsWhetherItArrivedCompressedAndNothingElseClaimsToBe() throws Exception {
    ServerCallHandler<String, String> recorder = (call, headers) -> {
      call.request(2);
      return new ServerCall.Listener<>() {
        @Override
        public void onMessage(String message) {
          seen.add(message + "=" + call.isMessageCompressed());
        }

        @Override
        public void onHalfClose() {
          seen.add("halfClose=" + call.isMessageCompressed());
          call.close(dev.rill.Status.OK, new Metadata());
        }
      };
    };
    server = Server.builder()
        .address(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServiceDefinition.builder("test.Echo").addMethod(WireFixtures.COLLECT, recorder).build())
        .build().start();
    client = RawHttp2Client.connect(server.port());

    client.headers(1, request(PATH).add("grpc-encoding", "gzip"), false);
    client.data(1, message(1, gzip("zipped")), false);
    client.data(1, message("plain"), true);

    assertEquals("zipped=true", next());
    assertEquals("plain=false", next());
    assertEquals("halfClose=false", next());
  }

  private String next() throws InterruptedException {
    String s = seen.poll(RawHttp2Client.TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(s, "no event within " + RawHttp2Client.TIMEOUT);
    return s;
  }

  private static byte[] gzip(String s) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(s.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }
}
