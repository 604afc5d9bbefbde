package dev.rill.internal;

import io.netty.util.AsciiString;

/** Header names and values of gRPC over HTTP/2, interned once as {@link AsciiString}. */
public final class GrpcHeaders {
  public static final AsciiString POST = AsciiString.cached("POST");
  public static final AsciiString HTTP = AsciiString.cached("http");
  public static final AsciiString HTTPS = AsciiString.cached("https");
  public static final AsciiString STATUS_200 = AsciiString.cached("200");

  public static final AsciiString CONTENT_TYPE = AsciiString.cached("content-type");
  public static final AsciiString CONTENT_TYPE_GRPC = AsciiString.cached("application/grpc");
  public static final AsciiString TE = AsciiString.cached("te");
  public static final AsciiString TE_TRAILERS = AsciiString.cached("trailers");
  public static final AsciiString USER_AGENT = AsciiString.cached("user-agent");

  public static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
  public static final AsciiString GRPC_MESSAGE = AsciiString.cached("grpc-message");
  public static final AsciiString GRPC_TIMEOUT = AsciiString.cached("grpc-timeout");
  public static final AsciiString GRPC_ENCODING = AsciiString.cached("grpc-encoding");
  public static final AsciiString GRPC_ACCEPT_ENCODING = AsciiString.cached("grpc-accept-encoding");

  /** The value of {@code user-agent}: {@code rill-java/<version>}. */
  public static final AsciiString RILL_USER_AGENT = AsciiString.cached("rill-java/" + RillVersion.VERSION);

  private GrpcHeaders() {}

  /**
   * Whether {@code contentType} is a gRPC content type: {@code application/grpc} alone or followed by
   * {@code +subtype} or {@code ;params}.
   */
  public static boolean isGrpcContentType(CharSequence contentType) {
    if (contentType == null) {
      return false;
    }
    int n = CONTENT_TYPE_GRPC.length();
    if (contentType.length() < n || !AsciiString.regionMatches(contentType, true, 0, CONTENT_TYPE_GRPC, 0, n)) {
      return false;
    }
    if (contentType.length() == n) {
      return true;
    }
    char next = contentType.charAt(n);
    return next == '+' || next == ';';
  }

  /**
   * Whether a header name is reserved by the transport (pseudo-headers, HTTP/2 and gRPC protocol
   * headers) and so never part of user-visible {@link dev.rill.Metadata}.
   */
  public static boolean isReserved(CharSequence name) {
    if (name.length() == 0 || name.charAt(0) == ':') {
      return true;
    }
    return AsciiString.contentEquals(name, CONTENT_TYPE)
        || AsciiString.contentEquals(name, TE)
        || AsciiString.contentEquals(name, USER_AGENT)
        || AsciiString.contentEquals(name, GRPC_STATUS)
        || AsciiString.contentEquals(name, GRPC_MESSAGE)
        || AsciiString.contentEquals(name, GRPC_TIMEOUT)
        || AsciiString.contentEquals(name, GRPC_ENCODING)
        || AsciiString.contentEquals(name, GRPC_ACCEPT_ENCODING)
        || AsciiString.contentEquals(name, "connection")
        || AsciiString.contentEquals(name, "host");
  }
}
