package dev.rill.client;

import dev.rill.Metadata;
import dev.rill.internal.GrpcHeaders;
import dev.rill.internal.MetadataCodec;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.ReadOnlyHttp2Headers;
import io.netty.util.AsciiString;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Builds request header blocks. Blocks are read-only: Netty's HPACK encoder only iterates them, so a
 * call without metadata, deadline or compression shares its method's block with every other such call
 * of the channel.
 */
final class RequestHeaders {
  /** Past this many methods (a proxy forwarding callers' paths, say) blocks are built per call. */
  private static final int MAX_SHARED = 1024;

  private final ClientConfig config;
  /** Plain blocks by method path; at most {@link #MAX_SHARED}. */
  private final ConcurrentMap<String, Http2Headers> plain = new ConcurrentHashMap<>();

  RequestHeaders(ClientConfig config) {
    this.config = config;
  }

  /** The block for a call; {@code timeout}, {@code encoding} and {@code extra} may be null. */
  Http2Headers forCall(String path, Metadata metadata, Metadata extra, AsciiString timeout, AsciiString encoding) {
    boolean noExtra = extra == null || extra.isEmpty();
    if (metadata.isEmpty() && noExtra && timeout == null && encoding == null) {
      Http2Headers shared = plain.get(path);
      if (shared != null) {
        return shared;
      }
      return plain.size() < MAX_SHARED ? plain.computeIfAbsent(path, p -> build(p, metadata, null, null, null))
          : build(path, metadata, null, null, null);
    }
    return build(path, metadata, noExtra ? null : extra, timeout, encoding);
  }

  private Http2Headers build(String path, Metadata metadata, Metadata extra, AsciiString timeout,
      AsciiString encoding) {
    int leading = 4 + (timeout != null ? 1 : 0) + (encoding != null ? 1 : 0);
    // Call-option headers go before the call's own.
    AsciiString[] fields = extra == null ? MetadataCodec.fields(leading, metadata)
        : MetadataCodec.fields(leading, extra, metadata);
    int i = 0;
    fields[i++] = GrpcHeaders.CONTENT_TYPE;
    fields[i++] = GrpcHeaders.CONTENT_TYPE_GRPC;
    fields[i++] = GrpcHeaders.TE;
    fields[i++] = GrpcHeaders.TE_TRAILERS;
    fields[i++] = GrpcHeaders.USER_AGENT;
    fields[i++] = config.userAgent;
    if (timeout != null) {
      fields[i++] = GrpcHeaders.GRPC_TIMEOUT;
      fields[i++] = timeout;
    }
    if (encoding != null) {
      fields[i++] = GrpcHeaders.GRPC_ENCODING;
      fields[i++] = encoding;
    }
    fields[i++] = GrpcHeaders.GRPC_ACCEPT_ENCODING;
    fields[i] = config.acceptEncoding;
    return ReadOnlyHttp2Headers.clientHeaders(false, GrpcHeaders.POST, new AsciiString(path), config.scheme,
        config.authority, fields);
  }
}
