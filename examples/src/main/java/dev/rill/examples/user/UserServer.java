package dev.rill.examples.user;

import dev.rill.examples.health.HealthService;
import dev.rill.examples.user.v1.UserServiceRill;
import dev.rill.server.Server;
import dev.rill.server.ServerTls;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The example's server, as the demo and the integration tests run it: UserService behind the logging
 * and bearer-token interceptors, plus the health service, on a free loopback port.
 *
 * <p>The interceptors are set per service, not server-wide: health checkers (load balancers,
 * Kubernetes probes) carry no user token, so the health service is logged but not authenticated.
 */
final class UserServer {
  /** The tokens the demo hands out, and whose they are. */
  static final Map<String, String> DEMO_TOKENS = Map.of("alice-token", "alice", "bob-token", "bob");

  private final Server server;
  private final int port;
  private final HealthService health;

  private UserServer(Server server, HealthService health) {
    this.server = server;
    this.port = server.port();
    this.health = health;
  }

  /**
   * Starts serving on 127.0.0.1 at a free port: TLS with {@code tls}, plaintext when it is null. Each
   * call's log line goes to {@code log}.
   */
  static UserServer start(ServerTls tls, Map<String, String> tokens, Clock clock, Consumer<String> log)
      throws IOException {
    LoggingInterceptor logging = new LoggingInterceptor(log);
    HealthService health = new HealthService();
    Server server = Server.builder()
        .address(new InetSocketAddress("127.0.0.1", 0))
        .tls(tls)
        .addService(new UserService(new UserStore(clock), new ChatRoom(clock)).bindService()
            .intercept(logging, new BearerAuthInterceptor(tokens)))
        .addService(health.bindService().intercept(logging))
        .build()
        .start();
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus(UserServiceRill.SERVICE_NAME, ServingStatus.SERVING);
    return new UserServer(server, health);
  }

  int port() {
    return port;
  }

  HealthService health() {
    return health;
  }

  /**
   * Reports NOT_SERVING to health watchers, then shuts down: gracefully, and at once for calls still
   * open after a few seconds (a chat participant who never leaves, a health watcher).
   */
  void stop() throws InterruptedException {
    health.setStatus("", ServingStatus.NOT_SERVING);
    health.setStatus(UserServiceRill.SERVICE_NAME, ServingStatus.NOT_SERVING);
    server.shutdown();
    if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
      server.shutdownNow();
      if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("server on port " + port + " did not terminate");
      }
    }
  }
}
