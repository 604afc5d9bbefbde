package dev.rill.bench;

/** What one outstanding-RPC slot of the load client does. */
enum RpcType {
  /** One unary call after another (AsyncClient's default). */
  UNARY,
  /** StreamingCall ping-pong: one request, wait for its response, repeat (AsyncClient's --streaming_rpcs). */
  STREAMING,
  /** One StreamingFromServer call receiving as fast as the server sends (Rill's --streaming_from_server). */
  STREAMING_FROM_SERVER
}
