package dev.rill.server;

import dev.rill.TlsProvider;
import dev.rill.internal.Tls;
import io.netty.handler.ssl.ClientAuth;
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
 * A server's TLS set-up: certificate chain and private key (PEM), optional client authentication
 * against trust roots (mutual TLS), and the provider. ALPN offers {@code h2} only. Immutable.
 */
public final class ServerTls {
  /** Whether the server asks clients for a certificate. */
  public enum ClientAuthMode { NONE, OPTIONAL, REQUIRE }

  private final byte[] certificateChain;
  private final byte[] privateKey;
  private final byte[] trustRoots;
  private final ClientAuthMode clientAuth;
  private final TlsProvider provider;

  private ServerTls(Builder b) {
    this.certificateChain = Objects.requireNonNull(b.certificateChain, "certificateChain");
    this.privateKey = Objects.requireNonNull(b.privateKey, "privateKey");
    this.trustRoots = b.trustRoots;
    this.clientAuth = b.clientAuth;
    this.provider = b.provider;
    if (clientAuth != ClientAuthMode.NONE && trustRoots == null) {
      throw new IllegalArgumentException("TLS: client authentication needs trustRoots");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public TlsProvider provider() {
    return provider;
  }

  SslContext newContext() {
    try {
      SslContextBuilder b = SslContextBuilder.forServer(
          new ByteArrayInputStream(certificateChain), new ByteArrayInputStream(privateKey));
      if (trustRoots != null) {
        b.trustManager(new ByteArrayInputStream(trustRoots));
      }
      b.clientAuth(clientAuth == ClientAuthMode.REQUIRE ? ClientAuth.REQUIRE
          : clientAuth == ClientAuthMode.OPTIONAL ? ClientAuth.OPTIONAL : ClientAuth.NONE);
      return Tls.configureForHttp2(b, provider).build();
    } catch (SSLException e) {
      throw new IllegalArgumentException("TLS: cannot build server context: " + e.getMessage(), e);
    }
  }

  /** Builds a {@link ServerTls}. */
  public static final class Builder {
    private byte[] certificateChain;
    private byte[] privateKey;
    private byte[] trustRoots;
    private ClientAuthMode clientAuth = ClientAuthMode.NONE;
    private TlsProvider provider = TlsProvider.AUTO;

    private Builder() {}

    /** PEM certificate chain and PKCS#8 PEM private key. */
    public Builder keyCertChain(byte[] certificateChainPem, byte[] privateKeyPem) {
      this.certificateChain = certificateChainPem.clone();
      this.privateKey = privateKeyPem.clone();
      return this;
    }

    public Builder keyCertChain(File certificateChainPem, File privateKeyPem) {
      return keyCertChain(read(certificateChainPem), read(privateKeyPem));
    }

    /** PEM certificates trusted to sign client certificates. */
    public Builder trustRoots(byte[] pem) {
      this.trustRoots = pem.clone();
      return this;
    }

    public Builder trustRoots(File pem) {
      return trustRoots(read(pem));
    }

    public Builder clientAuth(ClientAuthMode mode) {
      this.clientAuth = Objects.requireNonNull(mode);
      return this;
    }

    public Builder provider(TlsProvider provider) {
      this.provider = Objects.requireNonNull(provider);
      return this;
    }

    public ServerTls build() {
      return new ServerTls(this);
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
