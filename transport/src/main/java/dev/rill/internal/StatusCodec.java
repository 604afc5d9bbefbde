package dev.rill.internal;

import dev.rill.Metadata;
import dev.rill.Status;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.ReadOnlyHttp2Headers;
import io.netty.util.AsciiString;

/**
 * Status on the wire: trailers ({@code grpc-status}, percent-encoded {@code grpc-message}) and the
 * mappings from HTTP status and RST_STREAM codes (http-grpc-status-mapping.md, PROTOCOL-HTTP2.md).
 */
public final class StatusCodec {
  private static final AsciiString[] CODE_VALUES = new AsciiString[17];
  /**
   * Trailer blocks of a bare status (no message, no metadata), by code: shared by every call, so
   * read-only, which Netty's HPACK encoder only iterates.
   */
  private static final Http2Headers[] BARE_TRAILERS = new Http2Headers[CODE_VALUES.length];

  static {
    for (int i = 0; i < CODE_VALUES.length; i++) {
      CODE_VALUES[i] = AsciiString.cached(Integer.toString(i));
      BARE_TRAILERS[i] = ReadOnlyHttp2Headers.trailers(false, GrpcHeaders.GRPC_STATUS, CODE_VALUES[i]);
    }
  }

  private StatusCodec() {}

  /**
   * The trailer block for {@code status} and {@code trailers}. With {@code trailersOnly} it also
   * carries {@code :status} and {@code content-type}, as the only header block of the response.
   * The block is read-only and may be shared.
   */
  public static Http2Headers encodeTrailers(Status status, Metadata trailers, boolean trailersOnly) {
    return encodeTrailers(status, trailers, trailersOnly, null);
  }

  /**
   * As {@link #encodeTrailers(Status, Metadata, boolean)}; a Trailers-Only block also advertises
   * {@code acceptEncoding} (if not null) as {@code grpc-accept-encoding}.
   */
  public static Http2Headers encodeTrailers(Status status, Metadata trailers, boolean trailersOnly,
      AsciiString acceptEncoding) {
    int code = status.code().value();
    if (!trailersOnly && status.description() == null && trailers.isEmpty()) {
      return BARE_TRAILERS[code];
    }
    boolean advertise = trailersOnly && acceptEncoding != null;
    int leading = 1 + (trailersOnly ? 1 : 0) + (advertise ? 1 : 0) + (status.description() != null ? 1 : 0);
    AsciiString[] fields = MetadataCodec.fields(leading, trailers);
    int i = 0;
    if (trailersOnly) {
      fields[i++] = GrpcHeaders.CONTENT_TYPE;
      fields[i++] = GrpcHeaders.CONTENT_TYPE_GRPC;
    }
    if (advertise) {
      fields[i++] = GrpcHeaders.GRPC_ACCEPT_ENCODING;
      fields[i++] = acceptEncoding;
    }
    fields[i++] = GrpcHeaders.GRPC_STATUS;
    fields[i++] = CODE_VALUES[code];
    if (status.description() != null) {
      fields[i++] = GrpcHeaders.GRPC_MESSAGE;
      fields[i] = new AsciiString(escapeEdgeSpaces(PercentCodec.encode(status.description())));
    }
    return trailersOnly
        ? ReadOnlyHttp2Headers.serverHeaders(false, GrpcHeaders.STATUS_200, fields)
        : ReadOnlyHttp2Headers.trailers(false, fields);
  }

  /**
   * A header value must not start or end with a space (RFC 9113 section 8.2.1): the peer's HPACK
   * decoder (Netty's, for one) rejects the whole block. {@code %20} decodes back to the space.
   */
  private static String escapeEdgeSpaces(String encoded) {
    int n = encoded.length();
    if (n == 0 || encoded.charAt(0) != ' ' && encoded.charAt(n - 1) != ' ') {
      return encoded;
    }
    if (n == 1) {
      return "%20";
    }
    return (encoded.charAt(0) == ' ' ? "%20" : encoded.substring(0, 1)) + encoded.substring(1, n - 1)
        + (encoded.charAt(n - 1) == ' ' ? "%20" : encoded.substring(n - 1));
  }

  /**
   * The status of a response from its trailer block (or Trailers-Only block). Without
   * {@code grpc-status}, a non-200 {@code :status} maps as HTTP does; otherwise the call fails
   * UNKNOWN: a missing status is never taken for OK.
   */
  public static Status decodeStatus(Http2Headers trailers) {
    CharSequence code = trailers.get(GrpcHeaders.GRPC_STATUS);
    if (code == null) {
      CharSequence http = trailers.status();
      if (http != null && !AsciiString.contentEquals(http, GrpcHeaders.STATUS_200)) {
        return fromHttpStatus(http);
      }
      return Status.UNKNOWN.withDescription("missing grpc-status in response trailers");
    }
    Status status = parseCode(code);
    CharSequence message = trailers.get(GrpcHeaders.GRPC_MESSAGE);
    return message == null ? status : status.withDescription(PercentCodec.decode(message));
  }

  private static Status parseCode(CharSequence code) {
    if (code.length() == 1 && code.charAt(0) >= '0' && code.charAt(0) <= '9') {
      return Status.fromCodeValue(code.charAt(0) - '0');
    }
    try {
      return Status.fromCodeValue(Integer.parseInt(code.toString()));
    } catch (NumberFormatException e) {
      return Status.UNKNOWN.withDescription("grpc-status: not a number '" + code + "'");
    }
  }

  /** The status for an HTTP response that is not gRPC (http-grpc-status-mapping.md). */
  public static Status fromHttpStatus(CharSequence httpStatus) {
    int http;
    try {
      http = Integer.parseInt(httpStatus.toString());
    } catch (NumberFormatException e) {
      return Status.INTERNAL.withDescription(":status: not a number '" + httpStatus + "'");
    }
    Status status;
    switch (http) {
      case 400:
      case 431:
        status = Status.INTERNAL;
        break;
      case 401:
        status = Status.UNAUTHENTICATED;
        break;
      case 403:
        status = Status.PERMISSION_DENIED;
        break;
      case 404:
        status = Status.UNIMPLEMENTED;
        break;
      case 429:
      case 502:
      case 503:
      case 504:
        status = Status.UNAVAILABLE;
        break;
      default:
        status = Status.UNKNOWN;
    }
    return status.withDescription("HTTP status code " + http);
  }

  /** The status a client reports when the server resets a stream (PROTOCOL-HTTP2.md, "Errors"). */
  public static Status fromRstStream(long errorCode) {
    Http2Error error = Http2Error.valueOf(errorCode);
    String name = error != null ? error.name() : "0x" + Long.toHexString(errorCode);
    Status status;
    if (error == null) {
      status = Status.INTERNAL;
    } else {
      switch (error) {
        case REFUSED_STREAM:
          status = Status.UNAVAILABLE;
          break;
        case CANCEL:
          status = Status.CANCELLED;
          break;
        case ENHANCE_YOUR_CALM:
          status = Status.RESOURCE_EXHAUSTED;
          break;
        case INADEQUATE_SECURITY:
          status = Status.PERMISSION_DENIED;
          break;
        default:
          status = Status.INTERNAL;
      }
    }
    return status.withDescription("stream reset by peer with " + name);
  }
}
