package dev.rill.interop;

import dev.rill.TlsProvider;
import dev.rill.client.ClientChannel;
import java.util.Locale;
import java.util.Set;

/**
 * What {@code interop-client} was told: where the server is, how to secure the connection, and the
 * soak parameters. The flags and their defaults are grpc-java {@code TestServiceClient}'s; Rill adds
 * {@code --tls_provider=auto|openssl|jdk}.
 */
final class ClientSettings {
  static final Set<String> FLAGS = Set.of("server_host", "server_port", "server_host_override", "test_case",
      "use_tls", "use_test_ca", "tls_provider", "soak_iterations", "soak_max_failures",
      "soak_per_iteration_max_acceptable_latency_ms", "soak_min_time_ms_between_rpcs",
      "soak_overall_timeout_seconds", "soak_request_size", "soak_response_size", "soak_num_threads");

  final String host;
  final int port;
  final String hostOverride;
  final String testCase;
  final boolean useTls;
  final boolean useTestCa;
  final TlsProvider provider;
  final int soakIterations;
  final int soakMaxFailures;
  final int soakMaxLatencyMs;
  final int soakMinTimeBetweenRpcsMs;
  final int soakOverallTimeoutSeconds;
  final int soakRequestSize;
  final int soakResponseSize;
  final int soakThreads;

  ClientSettings(Flags f) {
    host = f.get("server_host", "localhost");
    port = f.getInt("server_port", 8080);
    hostOverride = f.get("server_host_override", null);
    testCase = f.get("test_case", "empty_unary");
    useTls = f.getBoolean("use_tls", true);
    useTestCa = f.getBoolean("use_test_ca", false);
    provider = TlsProvider.valueOf(f.get("tls_provider", "auto").toUpperCase(Locale.ROOT));
    soakIterations = f.getInt("soak_iterations", 10);
    soakMaxFailures = f.getInt("soak_max_failures", 0);
    soakMaxLatencyMs = f.getInt("soak_per_iteration_max_acceptable_latency_ms", 1000);
    soakMinTimeBetweenRpcsMs = f.getInt("soak_min_time_ms_between_rpcs", 0);
    soakOverallTimeoutSeconds = f.getInt("soak_overall_timeout_seconds", 10);
    soakRequestSize = f.getInt("soak_request_size", 271828);
    soakResponseSize = f.getInt("soak_response_size", 314159);
    soakThreads = f.getInt("soak_num_threads", 1);
  }

  static ClientSettings parse(String... args) {
    return new ClientSettings(Flags.parse(args, FLAGS));
  }

  /** A new channel to the server as configured; the caller shuts it down. */
  ClientChannel newChannel() {
    ClientChannel.Builder b = ClientChannel.forAddress(host, port);
    if (useTls) {
      b.tls(TestCerts.client(useTestCa, hostOverride, provider));
    }
    return b.build();
  }
}
