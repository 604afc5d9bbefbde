package dev.rill.server;

import dev.rill.Metadata;

/**
 * Wraps calls before they reach their handler: read or add metadata, reject a call with a status
 * ({@code call.close(...)} and return an empty listener), or observe messages and the closing status
 * by wrapping the call ({@link ForwardingServerCall}) and the listener
 * ({@link ForwardingServerCallListener}).
 *
 * <p>Runs on the call's executor thread, like the handler.
 */
@FunctionalInterface
public interface ServerInterceptor {
  <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next);
}
