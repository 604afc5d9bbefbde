package dev.rill;

/** Which TLS implementation a server or channel uses. */
public enum TlsProvider {
  /** BoringSSL through netty-tcnative when its native library loads, else the JDK's. */
  AUTO,
  /** BoringSSL through netty-tcnative; fails if the native library cannot load. */
  OPENSSL,
  /** The JDK's own SSLEngine. */
  JDK
}
