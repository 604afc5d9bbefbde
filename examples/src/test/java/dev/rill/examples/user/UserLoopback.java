package dev.rill.examples.user;

import dev.rill.Metadata;
import dev.rill.client.AbstractStub;
import dev.rill.client.ClientChannel;
import dev.rill.client.ClientTls;
import dev.rill.examples.user.v1.UserServiceRill;
import dev.rill.server.ServerTls;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The example's server on a loopback port, as {@code ./rill demo} runs it, with a client channel to
 * it, a fixed clock and the server's log lines in a queue. {@link #stop} it after each test: the leak
 * check needs the server and the channel shut down.
 */
final class UserLoopback {
  /** The time the server's clock always shows, so timestamps can be asserted. */
  static final Instant NOW = Instant.parse("2025-06-01T12:34:56.789Z");
  static final String ALICE = "alice-token";
  static final String BOB = "bob-token";

  final BlockingQueue<String> log = new LinkedBlockingQueue<>();
  final UserServer server;
  final ClientChannel channel;

  private UserLoopback(ServerTls serverTls, ClientTls clientTls) throws IOException {
    this.server = UserServer.start(serverTls, UserServer.DEMO_TOKENS, Clock.fixed(NOW, ZoneOffset.UTC), log::add);
    ClientChannel.Builder b = ClientChannel.forAddress("127.0.0.1", server.port());
    this.channel = (clientTls == null ? b : b.tls(clientTls)).build();
  }

  static UserLoopback plaintext() throws IOException {
    return new UserLoopback(null, null);
  }

  static UserLoopback tls(ServerTls serverTls, ClientTls clientTls) throws IOException {
    return new UserLoopback(serverTls, clientTls);
  }

  /** A blocking stub that sends {@code token} as a bearer token ({@code null}: no token). */
  UserServiceRill.UserServiceBlockingStub blocking(String token) {
    return withToken(UserServiceRill.newBlockingStub(channel), token);
  }

  /** An async stub that sends {@code token} as a bearer token ({@code null}: no token). */
  UserServiceRill.UserServiceStub async(String token) {
    return withToken(UserServiceRill.newStub(channel), token);
  }

  static <S extends AbstractStub<S>> S withToken(S stub, String token) {
    S s = stub.withDeadlineAfter(10, TimeUnit.SECONDS);
    return token == null ? s : s.withMetadata(new Metadata().put("authorization", "Bearer " + token));
  }

  /** The server's next log line, waiting for it (the line of a cancelled call comes asynchronously). */
  String nextLogLine() throws InterruptedException {
    String line = log.poll(10, TimeUnit.SECONDS);
    if (line == null) {
      throw new AssertionError("no log line within 10 s");
    }
    return line;
  }

  void stop() throws InterruptedException {
    channel.shutdownNow();
    server.stop();
    if (!channel.awaitTermination(10, TimeUnit.SECONDS)) {
      throw new AssertionError("channel did not terminate");
    }
  }
}
