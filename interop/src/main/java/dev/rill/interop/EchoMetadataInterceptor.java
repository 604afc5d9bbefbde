package dev.rill.interop;

import dev.rill.Metadata;
import dev.rill.Status;
import dev.rill.server.ForwardingServerCall;
import dev.rill.server.ServerCall;
import dev.rill.server.ServerCallHandler;
import dev.rill.server.ServerInterceptor;

/**
 * Echoes {@code x-grpc-test-echo-initial} into the response headers and
 * {@code x-grpc-test-echo-trailing-bin} (bytes unchanged) into the trailers, as the interop
 * {@code custom_metadata} case expects of a server.
 *
 * <p>The headers go out just before the first response message or the status, not at once: the
 * handler may still choose a response encoding, which Rill announces in those headers.
 */
final class EchoMetadataInterceptor implements ServerInterceptor {
  static final String INITIAL = "x-grpc-test-echo-initial";
  static final String TRAILING = "x-grpc-test-echo-trailing-bin";

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
      ServerCallHandler<ReqT, RespT> next) {
    String initial = headers.get(INITIAL);
    byte[] trailing = headers.getBinary(TRAILING);
    if (initial == null && trailing == null) {
      return next.startCall(call, headers);
    }
    return next.startCall(new ForwardingServerCall<>(call) {
      private boolean headersSent;

      @Override
      public void sendHeaders(Metadata responseHeaders) {
        headersSent = true;
        if (initial != null) {
          responseHeaders.put(INITIAL, initial);
        }
        super.sendHeaders(responseHeaders);
      }

      @Override
      public void sendMessage(RespT message) {
        if (!headersSent) {
          sendHeaders(new Metadata());
        }
        super.sendMessage(message);
      }

      @Override
      public void close(Status status, Metadata trailers) {
        if (!headersSent && initial != null) {
          sendHeaders(new Metadata());
        }
        if (trailing != null) {
          trailers.putBinary(TRAILING, trailing);
        }
        super.close(status, trailers);
      }
    }, headers);
  }
}
