package dev.rill.interop;

import dev.rill.TlsProvider;
import dev.rill.client.ClientTls;
import dev.rill.server.ServerTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * gRPC's interop test certificates ({@code certs/ca.pem}, {@code server1.pem}, {@code server1.key}),
 * unpacked at build time from grpc-testing's jar onto the classpath. server1 is issued for
 * {@code *.test.google.fr}, so clients verify it with {@link #HOST_OVERRIDE}.
 */
final class TestCerts {
  /** The name the interop runners pass as {@code --server_host_override}. */
  static final String HOST_OVERRIDE = "foo.test.google.fr";

  private TestCerts() {}

  static ServerTls server(TlsProvider provider) {
    return ServerTls.builder().keyCertChain(read("server1.pem"), read("server1.key")).provider(provider).build();
  }

  /** Trusts the test CA when {@code useTestCa}, else the JDK's default roots. */
  static ClientTls client(boolean useTestCa, String hostOverride, TlsProvider provider) {
    ClientTls.Builder b = ClientTls.builder().provider(provider);
    if (useTestCa) {
      b.trustRoots(read("ca.pem"));
    }
    if (hostOverride != null) {
      b.authorityOverride(hostOverride);
    }
    return b.build();
  }

  static byte[] read(String name) {
    try (InputStream in = TestCerts.class.getResourceAsStream("/certs/" + name)) {
      if (in == null) {
        throw new IllegalStateException("certs/" + name + " is not on the classpath (built by interop/pom.xml)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
