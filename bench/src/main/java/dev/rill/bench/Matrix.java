package dev.rill.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Which client/server pairs are measured for each workload and shape. The full matrix pairs every
 * client with every server of the same executor choice, plus h2load against every server for unary
 * calls. The short one (for {@code ./rill bench}, under five minutes on two cores) keeps what the
 * targets need: each runtime against itself, Rill's client on the floor, h2load against the default
 * servers at 4x32 (and the direct-executor servers for unary 0 B), and Rill's client on grpc-java's
 * server for server-streaming, which AsyncClient cannot drive; 1x1 only for unary 0 B and ping-pong.
 */
final class Matrix {
  /** One workload at one shape: a section of the table, measured round-robin. */
  record Column(Workload workload, Shape shape) {}

  /** One measured pair. */
  record Cell(Column column, Side client, Side server) {
    String label() {
      return client.label + " -> " + server.label;
    }
  }

  private Matrix() {}

  static List<Column> columns(boolean full) {
    List<Column> columns = new ArrayList<>();
    for (Workload w : Workload.values()) {
      for (Shape s : Shape.values()) {
        // The short run leaves out the latency shape where it says least: unary 1 KiB (unary 0 B has
        // it) and server-streaming (its "latency" is only the gap between messages).
        if (full || s == Shape.THROUGHPUT || w == Workload.UNARY_0B || w == Workload.PING_PONG) {
          columns.add(new Column(w, s));
        }
      }
    }
    return columns;
  }

  static List<Cell> cells(Column column, boolean full) {
    Workload w = column.workload();
    List<Cell> cells = new ArrayList<>();
    for (boolean direct : full ? new boolean[] {false, true} : new boolean[] {false}) {
      Side rill = direct ? Side.RILL_DIRECT : Side.RILL;
      Side grpcJava = direct ? Side.GRPC_JAVA_DIRECT : Side.GRPC_JAVA;
      for (Side client : List.of(rill, grpcJava)) {
        if (client.grpcJava() && w.rpcType == RpcType.STREAMING_FROM_SERVER) {
          continue; // AsyncClient has no server-streaming mode
        }
        for (Side server : List.of(rill, grpcJava, Side.FLOOR)) {
          boolean crossed = client.rill != server.rill && server != Side.FLOOR;
          boolean kept = full
              || (client.rill && server == Side.FLOOR)
              || (crossed ? w.rpcType == RpcType.STREAMING_FROM_SERVER : server != Side.FLOOR);
          if (kept) {
            cells.add(new Cell(column, client, server));
          }
        }
      }
    }
    if (w.unary() && (full || column.shape() == Shape.THROUGHPUT)) {
      List<Side> servers = full || w == Workload.UNARY_0B
          ? List.of(Side.RILL, Side.GRPC_JAVA, Side.RILL_DIRECT, Side.GRPC_JAVA_DIRECT, Side.FLOOR)
          : List.of(Side.RILL, Side.GRPC_JAVA, Side.FLOOR);
      for (Side server : servers) {
        cells.add(new Cell(column, Side.H2LOAD, server));
      }
    }
    return cells;
  }
}
