package dev.rill.bench;

import java.util.Set;

/**
 * The load client's settings, from grpc-java AsyncClient's flags (same names, same defaults) plus
 * {@code --streaming_from_server}, which AsyncClient does not have.
 */
record LoadConfig(
    String host,
    int port,
    int channels,
    int outstandingRpcs,
    int clientPayload,
    int serverPayload,
    boolean tls,
    boolean testca,
    String transport,
    double durationSeconds,
    double warmupSeconds,
    boolean directExecutor,
    String saveHistogram,
    RpcType rpcType,
    int flowControlWindow) {

  static final Set<String> FLAGS = Set.of("address", "channels", "outstanding_rpcs", "client_payload",
      "server_payload", "tls", "testca", "transport", "duration", "warmup_duration", "directexecutor",
      "save_histogram", "streaming_rpcs", "streaming_from_server", "flow_control_window");

  static final String USAGE = String.join("\n",
      "usage: ./rill bench-client --address=HOST:PORT [flags]   (grpc-java AsyncClient's flags)",
      "  --channels=INT (4)  --outstanding_rpcs=INT (10)  --client_payload=BYTES (0)  --server_payload=BYTES (0)",
      "  --duration=SECONDS (60)  --warmup_duration=SECONDS (10)  --streaming_rpcs  --directexecutor",
      "  --tls  --testca  --transport=netty_epoll|netty_nio (Rill's default: epoll on Linux)",
      "  --flow_control_window=BYTES (1048576)  --save_histogram=FILE",
      "  --streaming_from_server   Rill only: StreamingFromServer calls; reports messages/s and MB/s");

  static LoadConfig fromArgs(String[] args) {
    Flags f = Flags.parse(args, FLAGS);
    String address = f.string("address", null);
    if (address == null) {
      throw new IllegalArgumentException("--address=HOST:PORT is required");
    }
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--address: expected HOST:PORT, got '" + address + "'");
    }
    if (f.bool("streaming_rpcs") && f.bool("streaming_from_server")) {
      throw new IllegalArgumentException("--streaming_rpcs and --streaming_from_server exclude each other");
    }
    RpcType type = f.bool("streaming_rpcs") ? RpcType.STREAMING
        : f.bool("streaming_from_server") ? RpcType.STREAMING_FROM_SERVER : RpcType.UNARY;
    return new LoadConfig(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)),
        positive("channels", f.integer("channels", 4)),
        positive("outstanding_rpcs", f.integer("outstanding_rpcs", 10)),
        f.integer("client_payload", 0), f.integer("server_payload", 0),
        f.bool("tls"), f.bool("testca"), f.string("transport", null),
        f.seconds("duration", 60), f.seconds("warmup_duration", 10),
        f.bool("directexecutor"), f.string("save_histogram", null), type,
        positive("flow_control_window", f.integer("flow_control_window", 1 << 20)));
  }

  private static int positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("--" + name + ": must be positive, got " + value);
    }
    return value;
  }
}
