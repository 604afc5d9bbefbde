package dev.rill.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * grpc-java's test CA and server certificate (CN *.test.google.fr), unpacked from the grpc-testing jar
 * at build time: the ones AsyncServer and AsyncClient use, so either side pairs with the other over TLS.
 */
final class TestCerts {
  /** The host name the server certificate is for; clients override the authority with it. */
  static final String AUTHORITY = "foo.test.google.fr";

  private TestCerts() {}

  static byte[] load(String name) {
    try (InputStream in = TestCerts.class.getResourceAsStream("/certs/" + name)) {
      if (in == null) {
        throw new IllegalStateException("certs/" + name + " is not on the classpath (unpacked by the bench build)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
