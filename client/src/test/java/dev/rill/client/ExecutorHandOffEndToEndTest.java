package dev.rill.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rill.MethodDescriptor;
import dev.rill.MethodType;
import dev.rill.server.Server;
import dev.rill.server.ServerCalls;
import dev.rill.server.ServiceDefinition;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How often a client call hands work to its executor: the response's headers, message and trailers,
 * read at once, go over together instead of one hand-off each.
 */
@Timeout(60)
class ExecutorHandOffEndToEndTest {
  private static final MethodDescriptor<String, String> ECHO = Loopback.method("test.HandOff/Echo", MethodType.UNARY);
  private static final int CALLS = 50;

  private final Loopback loopback = new Loopback();

  @AfterEach
  void shutDown() throws InterruptedException {
    loopback.close();
  }

  @Test
  void aUnaryCallWhoseResponseIsReadAtOnceCostsTheClientOneExecutorSubmission() throws Exception {
    // On the event loop, the handler's headers, message and trailers leave in one flush: one read.
    Server server = loopback.server(Server.Builder::directExecutor, ServiceDefinition.builder("test.HandOff")
        .addMethod(ECHO, ServerCalls.unaryCall((req, out) -> {
          out.onNext(req);
          out.onCompleted();
        }))
        .build());
    ExecutorService pool = loopback.executor(2, "client-callbacks");
    AtomicInteger submissions = new AtomicInteger();
    ClientChannel channel = loopback.channel(server, b -> b.executor(task -> {
      submissions.incrementAndGet();
      pool.execute(task);
    }));
    assertEquals("warm-up", ClientCalls.futureUnaryCall(channel, ECHO, CallOptions.DEFAULT, "warm-up")
        .get(10, TimeUnit.SECONDS));

    int before = submissions.get();
    for (int i = 0; i < CALLS; i++) {
      assertEquals("call " + i, ClientCalls.futureUnaryCall(channel, ECHO, CallOptions.DEFAULT, "call " + i)
          .get(10, TimeUnit.SECONDS));
    }
    int total = submissions.get() - before;
    // One for the whole response (three to four before); a unary listener has no onReady to schedule.
    assertEquals(CALLS, total, total + " submissions for " + CALLS + " calls");
  }
}
