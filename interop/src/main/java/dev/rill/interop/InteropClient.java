package dev.rill.interop;

import java.util.Set;

/**
 * Rill's interop client: runs one case of grpc/grpc {@code doc/interop-test-descriptions.md} (or of
 * the negative HTTP/2 descriptions) against a server. Flags as grpc-java's {@code TestServiceClient}
 * ({@code --server_host}, {@code --server_port}, {@code --server_host_override}, {@code --test_case},
 * {@code --use_tls}, {@code --use_test_ca}, the {@code --soak_*} flags) plus Rill's
 * {@code --tls_provider}. Run it as {@code ./rill interop-client}.
 *
 * <p>Exit status 0 when the case passed; 1 with {@code FAILED <case>: <check>} on stderr when it did
 * not; 2 for bad flags.
 */
public final class InteropClient {
  /** Every case this client implements: the interop cases that need no cloud credentials. */
  static final Set<String> CASES = TestCases.NAMES;

  private InteropClient() {}

  public static void main(String[] args) {
    ClientSettings settings;
    try {
      settings = ClientSettings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("interop-client: " + e.getMessage());
      System.err.println("usage: interop-client --server_host=HOST --server_port=PORT --test_case=CASE"
          + " [--use_tls=true|false] [--use_test_ca=true|false] [--server_host_override=HOST]"
          + " [--tls_provider=auto|openssl|jdk] [--soak_*=N]");
      System.err.println("cases: " + String.join(" ", TestCases.NAMES) + " " + String.join(" ", Http2Cases.NAMES));
      System.exit(2);
      return;
    }
    try {
      run(settings);
    } catch (AssertionError | RuntimeException e) {
      System.err.println("FAILED " + settings.testCase + ": " + e.getMessage());
      e.printStackTrace();
      System.exit(1);
    }
    System.out.println("PASSED " + settings.testCase);
    System.exit(0);
  }

  /** Runs the case {@code settings} names; throws {@link AssertionError} naming the failed check. */
  static void run(ClientSettings settings) {
    if (Http2Cases.NAMES.contains(settings.testCase)) {
      Http2Cases.run(settings);
    } else if (TestCases.NAMES.contains(settings.testCase)) {
      TestCases.run(settings);
    } else {
      throw new IllegalArgumentException("unknown test case '" + settings.testCase + "'");
    }
  }
}
