package dev.rill.bench;

/**
 * A client or a server of the matrix. "Direct" is the executor choice both runtimes offer: callbacks on
 * the event loop (Rill's directExecutor(), AsyncServer/AsyncClient's --directexecutor) instead of each
 * one's default executor.
 */
enum Side {
  RILL("Rill", true, false),
  RILL_DIRECT("Rill direct", true, true),
  GRPC_JAVA("grpc-java", false, false),
  GRPC_JAVA_DIRECT("grpc-java direct", false, true),
  /** Server only: raw Netty HTTP/2 with ready-made answers. */
  FLOOR("floor", false, false),
  /** Client only: nghttp2's load generator sending ready-made requests. */
  H2LOAD("h2load", false, false);

  final String label;
  final boolean rill;
  final boolean direct;

  Side(String label, boolean rill, boolean direct) {
    this.label = label;
    this.rill = rill;
    this.direct = direct;
  }

  boolean grpcJava() {
    return this == GRPC_JAVA || this == GRPC_JAVA_DIRECT;
  }

  /** grpc-java in Rill's place (same executor choice); every other side stays. */
  Side asGrpcJava() {
    return this == RILL ? GRPC_JAVA : this == RILL_DIRECT ? GRPC_JAVA_DIRECT : this;
  }
}
