package dev.rill.server;

import static dev.rill.server.RawHttp2Client.message;
import static dev.rill.server.RawHttp2Client.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.MethodDescriptor;
import dev.rill.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
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

  @Test
  void aUnaryRequestReadAtOnceReachesItsHandlerInOneSubmissionAndCompletesInAtMostTwo() throws Exception {
    server = WireFixtures.server(new CallProbe())
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
    assertTrue(toEnd.stream().allMatch(n -> n <= 2), "submissions per call (then onComplete): " + toEnd);
  }
}
