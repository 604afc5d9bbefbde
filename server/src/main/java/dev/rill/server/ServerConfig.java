package dev.rill.server;

import dev.rill.Codec;
import dev.rill.internal.GrpcHeaders;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.ReadOnlyHttp2Headers;
import io.netty.util.AsciiString;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/** What every connection of a server shares: routing, limits and codecs. Immutable. */
final class ServerConfig {
  /** {@code /pkg.Service/Method} to its (intercepted) method. */
  final Map<AsciiString, ServiceDefinition.Method<?, ?>> methods;
  final Set<String> serviceNames;
  /** Executor for call callbacks; {@code null} runs them on the event loop. */
  final Executor executor;
  final int maxInboundMessageSize;
  final int maxHeaderListSize;
  final int flowControlWindow;
  final int maxConcurrentStreams;
  final long gracefulShutdownMillis;
  /** Codecs by name, identity included. */
  final Map<String, Codec> codecs;
  /** The {@code grpc-accept-encoding} value the server advertises. */
  final AsciiString acceptEncoding;
  /**
   * Response headers without metadata or {@code grpc-encoding}, the usual case: built once and
   * shared by every call, so read-only.
   */
  final Http2Headers plainResponseHeaders;

  ServerConfig(Map<AsciiString, ServiceDefinition.Method<?, ?>> methods, Set<String> serviceNames,
      Executor executor, int maxInboundMessageSize, int maxHeaderListSize, int flowControlWindow,
      int maxConcurrentStreams, long gracefulShutdownMillis, Map<String, Codec> codecs) {
    this.methods = methods;
    this.serviceNames = serviceNames;
    this.executor = executor;
    this.maxInboundMessageSize = maxInboundMessageSize;
    this.maxHeaderListSize = maxHeaderListSize;
    this.flowControlWindow = flowControlWindow;
    this.maxConcurrentStreams = maxConcurrentStreams;
    this.gracefulShutdownMillis = gracefulShutdownMillis;
    this.codecs = codecs;
    this.acceptEncoding = new AsciiString(String.join(",", codecs.keySet()));
    this.plainResponseHeaders = ReadOnlyHttp2Headers.serverHeaders(false, GrpcHeaders.STATUS_200,
        GrpcHeaders.CONTENT_TYPE, GrpcHeaders.CONTENT_TYPE_GRPC, GrpcHeaders.GRPC_ACCEPT_ENCODING, acceptEncoding);
  }
}
