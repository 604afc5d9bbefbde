package dev.rill.bench;

import dev.rill.server.Server;
import dev.rill.server.ServerTls;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./rill bench-server}: serves grpc.testing.BenchmarkService alone, so any load tool (Rill's
 * bench-client, grpc-java's AsyncClient, h2load, ghz) can drive Rill. Flags as AsyncServer's where they
 * overlap: {@code --port=N}, {@code --tls} (grpc-java's test certificate; clients use {@code --tls --testca}),
 * {@code --directexecutor} (handlers on the event loop instead of {@link BenchExecutor}, the ForkJoinPool
 * AsyncServer uses).
 */
final class BenchServer {
  /** Printed once listening; the bench runner waits for it. */
  static final String READY = "Rill bench server listening on port ";

  private BenchServer() {}

  public static void main(String[] args) throws Exception {
    Flags flags;
    try {
      flags = Flags.parse(args, Set.of("port", "tls", "directexecutor"));
      if (!flags.has("port")) {
        throw new IllegalArgumentException("--port=N is required");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("bench-server: " + e.getMessage());
      System.err.println("usage: ./rill bench-server --port=N [--tls] [--directexecutor]");
      System.exit(2);
      return;
    }
    Server server = start(flags.integer("port", 0), flags.bool("tls"), flags.bool("directexecutor"));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.shutdown().awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    System.out.println(READY + server.port() + (flags.bool("tls") ? " (TLS)" : "")
        + (flags.bool("directexecutor") ? " (direct executor)" : ""));
    System.out.flush();
    server.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
  }

  static Server start(int port, boolean tls, boolean directExecutor) throws IOException {
    Server.Builder builder = Server.builder().port(port).addService(new BenchmarkServiceImpl());
    if (tls) {
      builder.tls(ServerTls.builder().keyCertChain(TestCerts.load("server1.pem"), TestCerts.load("server1.key")).build());
    }
    if (directExecutor) {
      builder.directExecutor();
    } else {
      builder.executor(BenchExecutor.pool());
    }
    return builder.build().start();
  }
}
