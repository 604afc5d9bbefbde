package dev.rill.client;

import dev.rill.Codec;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AsciiString;
import java.util.Map;
import java.util.concurrent.Executor;

/** What every call and connection of a channel shares. Immutable. */
final class ClientConfig {
  final String host;
  final int port;
  /** The {@code :authority} of every request. */
  final AsciiString authority;
  /** Host name for SNI and certificate verification. */
  final String tlsHost;
  final AsciiString scheme;
  /** Null for plaintext h2c. */
  final SslContext sslContext;
  final EventLoopGroup group;
  final Executor executor;
  final int maxInboundMessageSize;
  final int maxHeaderListSize;
  final int flowControlWindow;
  final int connectTimeoutMillis;
  final Map<String, Codec> codecs;
  final AsciiString acceptEncoding;
  final AsciiString userAgent;
  final RequestHeaders requestHeaders;

  ClientConfig(String host, int port, String authority, String tlsHost, SslContext sslContext,
      EventLoopGroup group, Executor executor, int maxInboundMessageSize, int maxHeaderListSize,
      int flowControlWindow, int connectTimeoutMillis, Map<String, Codec> codecs, AsciiString userAgent) {
    this.host = host;
    this.port = port;
    this.authority = new AsciiString(authority);
    this.tlsHost = tlsHost;
    this.scheme = sslContext == null ? dev.rill.internal.GrpcHeaders.HTTP : dev.rill.internal.GrpcHeaders.HTTPS;
    this.sslContext = sslContext;
    this.group = group;
    this.executor = executor;
    this.maxInboundMessageSize = maxInboundMessageSize;
    this.maxHeaderListSize = maxHeaderListSize;
    this.flowControlWindow = flowControlWindow;
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.codecs = codecs;
    this.acceptEncoding = new AsciiString(String.join(",", codecs.keySet()));
    this.userAgent = userAgent;
    this.requestHeaders = new RequestHeaders(this);
  }
}
