package dev.rill.interop;

import dev.rill.TlsProvider;
import dev.rill.server.Server;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Rill's interop server: {@code grpc.testing.TestService} with the behaviour the interop descriptions
 * ask of a server, on one port, plaintext (h2c) or TLS with the test certificate.
 *
 * <p>Flags as grpc-java's {@code TestServiceServer}: {@code --port} (default 8080) and
 * {@code --use_tls} (default true); plus Rill's {@code --tls_provider=auto|openssl|jdk}. Run it as
 * {@code ./rill interop-server}. It prints {@code listening on PORT} once it serves and runs until
 * the process is stopped.
 */
public final class InteropServer {
  /** Large enough for very_large_request's 10 MiB payload; grpc-java's interop server uses the same. */
  static final int MAX_INBOUND_MESSAGE_SIZE = 16 * 1024 * 1024;

  private InteropServer() {}

  /** Starts a server on {@code port} (0 picks one); TLS when {@code provider} is not null. */
  static Server start(int port, TlsProvider provider) throws IOException {
    Server.Builder b = Server.builder()
        .port(port)
        .maxInboundMessageSize(MAX_INBOUND_MESSAGE_SIZE)
        // The echo interceptor runs first so that it also sees the status the check below sends.
        .intercept(new EchoMetadataInterceptor(), new ExpectCompressedInterceptor())
        .addService(new InteropService());
    if (provider != null) {
      b.tls(TestCerts.server(provider));
    }
    return b.build().start();
  }

  public static void main(String[] args) throws Exception {
    Flags flags;
    try {
      flags = Flags.parse(args, Set.of("port", "use_tls", "tls_provider"));
    } catch (IllegalArgumentException e) {
      System.err.println("interop-server: " + e.getMessage());
      System.err.println("usage: interop-server [--port=8080] [--use_tls=true|false] [--tls_provider=auto|openssl|jdk]");
      System.exit(2);
      return;
    }
    boolean useTls = flags.getBoolean("use_tls", true);
    TlsProvider provider = TlsProvider.valueOf(flags.get("tls_provider", "auto").toUpperCase(Locale.ROOT));
    Server server = start(flags.getInt("port", 8080), useTls ? provider : null);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.shutdown().awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      stopped.countDown();
    }));
    System.out.println("listening on " + server.port());
    System.out.flush();
    stopped.await();
  }
}
