package dev.rill.client;

import dev.rill.TlsProvider;
import dev.rill.internal.Tls;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * A channel's TLS set-up: trust roots (default: the JVM's), an optional client certificate for mutual
 * TLS, an optional authority override (the name the server certificate must match, for test CAs),
 * and the provider. ALPN requires {@code h2}; the server's hostname is always verified. Immutable.
 */
public final class ClientTls {
  private final byte[] trustRoots;
  private final byte[] certificateChain;
  private final byte[] privateKey;
  private final String authorityOverride;
  private final TlsProvider provider;

  private ClientTls(Builder b) {
    this.trustRoots = b.trustRoots;
    this.certificateChain = b.certificateChain;
    this.privateKey = b.privateKey;
    this.authorityOverride = b.authorityOverride;
    this.provider = b.provider;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The host name to verify and send as SNI and {@code :authority}, or {@code null}. */
  public String authorityOverride() {
    return authorityOverride;
  }

  public TlsProvider provider() {
    return provider;
  }

  SslContext newContext() {
    try {
      SslContextBuilder b = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
      if (trustRoots != null) {
        b.trustManager(new ByteArrayInputStream(trustRoots));
      }
      if (certificateChain != null) {
        b.keyManager(new ByteArrayInputStream(certificateChain), new ByteArrayInputStream(privateKey));
      }
      return Tls.configureForHttp2(b, provider).build();
    } catch (SSLException e) {
      throw new IllegalArgumentException("TLS: cannot build client context: " + e.getMessage(), e);
    }
  }

  /** Builds a {@link ClientTls}. */
  public static final class Builder {
    private byte[] trustRoots;
    private byte[] certificateChain;
    private byte[] privateKey;
    private String authorityOverride;
    private TlsProvider provider = TlsProvider.AUTO;

    private Builder() {}

    /** PEM certificates to trust instead of the JVM's default roots. */
    public Builder trustRoots(byte[] pem) {
      this.trustRoots = pem.clone();
      return this;
    }

    public Builder trustRoots(File pem) {
      return trustRoots(read(pem));
    }

    /** Client certificate chain and PKCS#8 key (PEM), for mutual TLS. */
    public Builder keyCertChain(byte[] certificateChainPem, byte[] privateKeyPem) {
      this.certificateChain = certificateChainPem.clone();
      this.privateKey = privateKeyPem.clone();
      return this;
    }

    public Builder keyCertChain(File certificateChainPem, File privateKeyPem) {
      return keyCertChain(read(certificateChainPem), read(privateKeyPem));
    }

    /** Verify the server as {@code host} (and send it as SNI and {@code :authority}). */
    public Builder authorityOverride(String host) {
      this.authorityOverride = host;
      return this;
    }

    public Builder provider(TlsProvider provider) {
      this.provider = Objects.requireNonNull(provider);
      return this;
    }

    public ClientTls build() {
      return new ClientTls(this);
    }

    private static byte[] read(File f) {
      try {
        return Files.readAllBytes(f.toPath());
      } catch (IOException e) {
        throw new UncheckedIOException("TLS: cannot read " + f, e);
      }
    }
  }
}
