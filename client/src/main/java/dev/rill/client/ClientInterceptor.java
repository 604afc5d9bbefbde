package dev.rill.client;

import dev.rill.MethodDescriptor;

/**
 * Wraps the calls of a channel: add or read metadata, change options, observe messages and the
 * closing status (with {@link ForwardingClientCall} and {@link ForwardingClientCallListener}), or
 * fail a call before it is sent.
 */
@FunctionalInterface
public interface ClientInterceptor {
  <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next);

  /** {@code channel} with {@code interceptors} around it; the first one runs first. */
  static Channel intercept(Channel channel, ClientInterceptor... interceptors) {
    Channel c = channel;
    for (int i = interceptors.length - 1; i >= 0; i--) {
      ClientInterceptor interceptor = interceptors[i];
      Channel next = c;
      c = new Channel() {
        @Override
        public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(MethodDescriptor<ReqT, RespT> method,
            CallOptions options) {
          return interceptor.interceptCall(method, options, next);
        }

        @Override
        public String authority() {
          return next.authority();
        }
      };
    }
    return c;
  }
}
