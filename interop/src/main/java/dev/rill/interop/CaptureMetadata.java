package dev.rill.interop;

import dev.rill.Metadata;
import dev.rill.MethodDescriptor;
import dev.rill.Status;
import dev.rill.client.CallOptions;
import dev.rill.client.Channel;
import dev.rill.client.ClientCall;
import dev.rill.client.ClientInterceptor;
import dev.rill.client.ForwardingClientCall;
import dev.rill.client.ForwardingClientCallListener;
import java.util.concurrent.atomic.AtomicReference;

/** A client interceptor that keeps the response headers and trailers of the calls it sees. */
final class CaptureMetadata implements ClientInterceptor {
  final AtomicReference<Metadata> headers = new AtomicReference<>();
  final AtomicReference<Metadata> trailers = new AtomicReference<>();

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
      CallOptions options, Channel next) {
    return new ForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<RespT> listener, Metadata requestHeaders) {
        super.start(new ForwardingClientCallListener<>(listener) {
          @Override
          public void onHeaders(Metadata h) {
            headers.set(h);
            super.onHeaders(h);
          }

          @Override
          public void onClose(Status status, Metadata t) {
            trailers.set(t);
            super.onClose(status, t);
          }
        }, requestHeaders);
      }
    };
  }
}
