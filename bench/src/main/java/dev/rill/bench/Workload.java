package dev.rill.bench;

/** What the matrix measures: the RPC kind and the payload sizes of each column. */
enum Workload {
  UNARY_0B("unary 0 B -> 0 B", RpcType.UNARY, 0, 0),
  UNARY_1KIB("unary 1 KiB -> 1 KiB", RpcType.UNARY, 1024, 1024),
  PING_PONG("streaming ping-pong 0 B", RpcType.STREAMING, 0, 0),
  SERVER_STREAMING_64KIB("server-streaming 64 KiB", RpcType.STREAMING_FROM_SERVER, 0, 64 * 1024);

  final String label;
  final RpcType rpcType;
  final int clientPayload;
  final int serverPayload;

  Workload(String label, RpcType rpcType, int clientPayload, int serverPayload) {
    this.label = label;
    this.rpcType = rpcType;
    this.clientPayload = clientPayload;
    this.serverPayload = serverPayload;
  }

  boolean unary() {
    return rpcType == RpcType.UNARY;
  }

  /** The flag that selects this RPC kind on Rill's and AsyncClient's command line, or null for unary. */
  String rpcFlag() {
    return switch (rpcType) {
      case UNARY -> null;
      case STREAMING -> "--streaming_rpcs";
      case STREAMING_FROM_SERVER -> "--streaming_from_server";
    };
  }
}
