package dev.rill.server;

import static dev.rill.server.RawHttp2Client.message;
import static dev.rill.server.RawHttp2Client.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.MethodDescriptor;
import dev.rill.MethodType;
import io.netty.handler.codec.http2.Http2Error;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How often a server call hands work to the application's executor: each hand-off parks and wakes a
 * pool thread, so the events of one socket read (headers, message, end of stream) go over together.
 */
@Timeout(60)
class ExecutorHandOffTest {
  private static final MethodDescriptor<String, String> COUNT = MethodDescriptor.<String, String>builder()
      .fullMethodName("test.HandOff/Count").type(MethodType.UNARY)
      .requestMarshaller(WireFixtures.UTF8).responseMarshaller(WireFixtures.UTF8).build();
  private static final int CALLS = 20;

  private final CallProbe probe = new CallProbe();
  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final AtomicInteger submissions = new AtomicInteger();
  private Server server;
  private RawHttp2Client client;

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    WireFixtures.stop(server);
    pool.shutdownNow();
  }

  @BeforeEach
  void start() throws Exception {
    server = WireFixtures.server(probe)
        .addService(ServiceDefinition.builder("test.HandOff")
            // Answers with the number of submissions so far.
            .addMethod(COUNT, ServerCalls.unaryCall((req, out) -> {
              out.onNext(Integer.toString(submissions.get()));
              out.onCompleted();
            }))
            .build())
        .executor(task -> {
          submissions.incrementAndGet();
          pool.execute(task);
        })
        .build().start();
    client = RawHttp2Client.connect(server.port());
  }

  @Test
  void aUnaryRequestReadAtOnceCostsOneSubmissionFromRequestToCompletion() throws Exception {
    List<Integer> toHandler = new ArrayList<>();
    List<Integer> toEnd = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      int stream = 1 + 2 * i;
      int before = submissions.get();
      client.cork();
      client.headers(stream, request("/test.HandOff/Count"), false);
      client.data(stream, message("x"), true);
      client.uncork();
      RawHttp2Client.Response r = client.response(stream);
      assertEquals("0", r.trailers().get("grpc-status"));
      String atHandler = new String(RawHttp2Client.messages(r.body()).get(0), StandardCharsets.UTF_8);
      toHandler.add(Integer.parseInt(atHandler) - before);
      // The server answers the PING after the trailers' write completed and onComplete was scheduled.
      client.pingRoundTrip();
      toEnd.add(submissions.get() - before);
    }

    assertEquals(List.of(1), toHandler.stream().distinct().toList(), "submissions before the handler ran");
    // The generated handler's listener does not override onComplete: its completion is not scheduled.
    assertEquals(List.of(1), toEnd.stream().distinct().toList(), "submissions per call, to its completion");
  }

  @Test
  void aUnaryRequestWithTwoMessagesReadWithItsHeadersStillFailsAsTooManyRequests() throws Exception {
    client.cork();
    client.headers(1, request(WireFixtures.UNARY_PATH), false);
    client.data(1, message("one"), false);
    client.data(1, message("two"), false);
    client.data(1, message("three"), true);
    client.uncork();

    RawHttp2Client.Response r = client.response(1);
    assertEquals("13", r.trailers().get("grpc-status"));
    assertEquals("too many requests: UNARY method takes one", r.trailers().get("grpc-message"));
  }

  @Test
  void aStreamResetInTheReadThatOpenedItStartsItsHandlerAndThenCancelsIt() throws Exception {
    client.cork();
    client.headers(1, request(WireFixtures.HOLD_PATH), false);
    client.data(1, message("never requested"), false);
    client.rstStream(1, Http2Error.CANCEL);
    client.uncork();

    CallProbe.Call held = probe.nextCall();
    held.awaitCancelled();
    assertTrue(held.messages.isEmpty(), "nothing was requested");
  }

  @Test
  void aUnaryStreamResetInTheReadThatOpenedItDropsItsMessageAndAnswersNothing() throws Exception {
    client.cork();
    client.headers(1, request(WireFixtures.UNARY_PATH), false);
    client.data(1, message("dropped"), false);
    client.rstStream(1, Http2Error.CANCEL);
    client.uncork();

    client.pingRoundTrip();
    assertEquals(List.of(), client.drain(1), "no response to a reset stream");
    // The connection still serves calls.
    client.headers(3, request(WireFixtures.UNARY_PATH), false);
    client.data(3, message("after"), true);
    assertEquals("after", new String(RawHttp2Client.messages(client.response(3).body()).get(0),
        StandardCharsets.UTF_8));
  }
}
