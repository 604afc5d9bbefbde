package dev.rill.interop;

import dev.rill.Metadata;
import dev.rill.Status;
import dev.rill.server.ForwardingServerCallListener;
import dev.rill.server.ServerCall;
import dev.rill.server.ServerCallHandler;
import dev.rill.server.ServerInterceptor;
import io.grpc.testing.integration.Messages.BoolValue;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;

/**
 * Checks each request's {@code expect_compressed} against how that message actually arrived, as the
 * C++ reference server does: a mismatch ends the call with INVALID_ARGUMENT before the handler sees
 * the message. grpc-java's server skips this check, which is why its clients need the
 * {@code _noprobe} cases; Rill's server does not.
 */
final class ExpectCompressedInterceptor implements ServerInterceptor {

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
      ServerCallHandler<ReqT, RespT> next) {
    return new ForwardingServerCallListener<>(next.startCall(call, headers)) {
      /** After a rejection the handler hears nothing more but the end of the call. */
      private boolean rejected;

      @Override
      public void onMessage(ReqT message) {
        if (rejected) {
          return;
        }
        BoolValue expected = expectation(message);
        boolean compressed = call.isMessageCompressed();
        if (expected != null && expected.getValue() != compressed) {
          rejected = true;
          call.close(Status.INVALID_ARGUMENT.withDescription(expected.getValue()
              ? "expected a compressed request but got an uncompressed one"
              : "expected an uncompressed request but got a compressed one"), new Metadata());
          return;
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!rejected) {
          super.onHalfClose();
        }
      }

      @Override
      public void onReady() {
        if (!rejected) {
          super.onReady();
        }
      }
    };
  }

  /** The request's {@code expect_compressed}, or null when it has none. */
  private static BoolValue expectation(Object message) {
    if (message instanceof SimpleRequest && ((SimpleRequest) message).hasExpectCompressed()) {
      return ((SimpleRequest) message).getExpectCompressed();
    }
    if (message instanceof StreamingInputCallRequest && ((StreamingInputCallRequest) message).hasExpectCompressed()) {
      return ((StreamingInputCallRequest) message).getExpectCompressed();
    }
    return null;
  }
}
