package dev.rill.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.MethodDescriptor;
import dev.rill.MethodType;
import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.StreamObserver;
import dev.rill.server.Server;
import dev.rill.server.ServerCalls;
import dev.rill.server.ServiceDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The interop case timeout_on_sleeping_server, many times over, on a new channel each time: the
 * deadline ends the call while the connection is still being made, the caller sends anyway and then
 * drops the channel. Every message must still be released (the class-level leak check).
 */
class DeadlineWhileConnectingTest {
  static final MethodDescriptor<String, String> SLEEP =
      Loopback.method("test.Sleep/Sleep", MethodType.BIDI_STREAMING);

  private Server server;
  private final List<ClientChannel> channels = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (ClientChannel c : channels) {
      assertTrue(c.awaitTermination(20, TimeUnit.SECONDS), "channel did not terminate");
    }
    server.shutdownNow();
    assertTrue(server.awaitTermination(20, TimeUnit.SECONDS));
  }

  @Test
  void aMessageSentAfterTheDeadlineEndedAStillConnectingCallIsReleased() throws Exception {
    server = Server.builder().port(0).addService(ServiceDefinition.builder("test.Sleep")
        .addMethod(SLEEP, ServerCalls.bidiStreamingCall(out -> new StreamObserver<String>() {
          @Override
          public void onNext(String value) {}

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        })).build()).build().start();
    String payload = "z".repeat(27182);
    for (int i = 0; i < 200; i++) {
      ClientChannel channel = ClientChannel.forAddress("127.0.0.1", server.port()).build();
      channels.add(channel);
      CompletableFuture<Status> closed = new CompletableFuture<>();
      StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(channel, SLEEP,
          CallOptions.DEFAULT.withDeadlineAfter(1, TimeUnit.MILLISECONDS), new StreamObserver<>() {
            @Override
            public void onNext(String value) {}

            @Override
            public void onError(Throwable t) {
              closed.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
              closed.complete(Status.OK);
            }
          });
      try {
        requests.onNext(payload);
      } catch (StatusException e) {
        // The deadline may already have ended the call.
      }
      assertEquals(Status.Code.DEADLINE_EXCEEDED, closed.get(20, TimeUnit.SECONDS).code());
      channel.shutdownNow();
    }
  }
}
