package dev.rill.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.Metadata;
import dev.rill.MethodDescriptor;
import dev.rill.MethodType;
import dev.rill.Status;
import dev.rill.server.Server;
import dev.rill.server.ServerCalls;
import dev.rill.server.ServiceDefinition;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client that cancels many open calls keeps its connection: cancelling is not an RST flood. */
class ManyCancellationsTest {
  static final MethodDescriptor<String, String> FOREVER =
      Loopback.method("test.Forever/Stream", MethodType.SERVER_STREAMING);

  private Server server;
  private ClientChannel channel;

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    assertTrue(channel.awaitTermination(20, TimeUnit.SECONDS));
    server.shutdownNow();
    assertTrue(server.awaitTermination(20, TimeUnit.SECONDS));
  }

  @Test
  void cancellingFiveHundredOpenCallsLeavesTheConnectionServing() throws Exception {
    server = Server.builder().port(0).addService(ServiceDefinition.builder("test.Forever")
        .addMethod(FOREVER, ServerCalls.serverStreamingCall((req, out) -> out.onNext("first")))
        .build()).build().start();
    channel = ClientChannel.forAddress("127.0.0.1", server.port()).build();
    for (int i = 0; i < 500; i++) {
      ClientCall<String, String> call = channel.newCall(FOREVER, CallOptions.DEFAULT);
      CompletableFuture<String> first = new CompletableFuture<>();
      CompletableFuture<Status> closed = new CompletableFuture<>();
      call.start(new ClientCall.Listener<>() {
        @Override
        public void onMessage(String message) {
          first.complete(message);
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
          closed.complete(status);
        }
      }, new Metadata());
      call.request(1);
      call.sendMessage("go");
      call.halfClose();
      assertEquals("first", first.get(20, TimeUnit.SECONDS), "call " + i);
      call.cancel("done with it", null);
      assertEquals(Status.Code.CANCELLED, closed.get(20, TimeUnit.SECONDS).code(), "call " + i);
    }
  }
}
