package dev.rill.server;

import dev.rill.Metadata;

/** Starts the handling of one call: called once per RPC with the request headers. */
@FunctionalInterface
public interface ServerCallHandler<ReqT, RespT> {
  /**
   * Returns the listener for the call's events. Must not block; may close the call at once (for
   * example to reject it).
   */
  ServerCall.Listener<ReqT> startCall(ServerCall<ReqT, RespT> call, Metadata headers);
}
