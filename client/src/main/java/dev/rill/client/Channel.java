package dev.rill.client;

import dev.rill.MethodDescriptor;

/**
 * Something that starts calls: a {@link ClientChannel}, or one wrapped by interceptors. Stubs are
 * built on a Channel. Thread-safe.
 */
public interface Channel {
  <ReqT, RespT> ClientCall<ReqT, RespT> newCall(MethodDescriptor<ReqT, RespT> method, CallOptions options);

  /** The {@code :authority} calls are addressed to. */
  String authority();
}
