package dev.rill.interop;

import dev.rill.TlsProvider;

/** How a matrix cell's connection is secured, on both sides. */
enum Security {
  /** HTTP/2 with prior knowledge, no TLS. */
  PLAINTEXT("h2c", null, "classpath-boringssl.txt"),
  /** TLS with ALPN through BoringSSL (netty-tcnative) on both sides. */
  TLS_BORINGSSL("tls-boringssl", TlsProvider.OPENSSL, "classpath-boringssl.txt"),
  /** TLS with ALPN through the JDK's own provider on both sides (grpc-java without netty-tcnative). */
  TLS_JDK("tls-jdk", TlsProvider.JDK, "classpath-jdk.txt");

  final String label;
  /** Rill's provider, or null for plaintext. */
  final TlsProvider provider;
  /** The grpc-java peer's classpath file in interop/grpc-java-peer/target. */
  final String peerClasspathFile;

  Security(String label, TlsProvider provider, String peerClasspathFile) {
    this.label = label;
    this.provider = provider;
    this.peerClasspathFile = peerClasspathFile;
  }

  boolean tls() {
    return provider != null;
  }

  static Security fromLabel(String label) {
    for (Security s : values()) {
      if (s.label.equals(label)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown security '" + label + "' (known: h2c, tls-boringssl, tls-jdk)");
  }
}
