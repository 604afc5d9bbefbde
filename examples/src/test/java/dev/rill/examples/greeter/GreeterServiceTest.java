package dev.rill.examples.greeter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.StreamObserver;
import dev.rill.client.ClientChannel;
import dev.rill.server.Server;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stubs the build generated from greeter.proto, against the service, on loopback. */
class GreeterServiceTest {
  private Server server;
  private ClientChannel channel;

  @BeforeEach
  void start() throws Exception {
    server = Server.builder().address(new InetSocketAddress("127.0.0.1", 0)).addService(new GreeterService())
        .build().start();
    channel = ClientChannel.forAddress("127.0.0.1", server.port()).build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow();
    server.shutdownNow();
    assertTrue(channel.awaitTermination(10, TimeUnit.SECONDS));
    assertTrue(server.awaitTermination(10, TimeUnit.SECONDS));
  }

  @Test
  void theBlockingStubGreetsEveryoneAtOnce() {
    HelloReply reply = GreeterRill.newBlockingStub(channel)
        .sayHello(HelloRequest.newBuilder().addNames("Ada").addNames("Grace").build());
    assertEquals("Hello, Ada and Grace!", reply.getMessage());
  }

  @Test
  void theAsyncStubGreetsEachInTurn() throws Exception {
    List<String> replies = new ArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    GreeterRill.newStub(channel).sayHelloToEach(HelloRequest.newBuilder().addNames("Ada").addNames("Grace").build(),
        new StreamObserver<>() {
          @Override
          public void onNext(HelloReply value) {
            replies.add(value.getMessage());
          }

          @Override
          public void onError(Throwable t) {
            done.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            done.complete(null);
          }
        });
    done.get(10, TimeUnit.SECONDS);
    assertEquals(List.of("Hello, Ada!", "Hello, Grace!"), replies);
  }
}
