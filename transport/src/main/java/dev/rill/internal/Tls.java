package dev.rill.internal;

import dev.rill.TlsProvider;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;

/** TLS set-up shared by server and client: provider choice, ALPN {@code h2}, HTTP/2-safe ciphers. */
public final class Tls {
  private Tls() {}

  /** The Netty provider for {@code choice}; OPENSSL fails with the reason when BoringSSL cannot load. */
  public static SslProvider provider(TlsProvider choice) {
    switch (choice) {
      case JDK:
        return SslProvider.JDK;
      case OPENSSL:
        if (!OpenSsl.isAvailable()) {
          throw new IllegalStateException("TLS: BoringSSL (netty-tcnative) is not available: "
              + OpenSsl.unavailabilityCause(), OpenSsl.unavailabilityCause());
        }
        return SslProvider.OPENSSL;
      default:
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }
  }

  /** Applies ALPN {@code h2} (required: no fallback to HTTP/1.1) and the HTTP/2 cipher list. */
  public static SslContextBuilder configureForHttp2(SslContextBuilder builder, TlsProvider choice) {
    return builder
        .sslProvider(provider(choice))
        .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
        .applicationProtocolConfig(new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2));
  }
}
