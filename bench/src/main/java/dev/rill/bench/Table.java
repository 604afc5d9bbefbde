package dev.rill.bench;

import dev.rill.bench.Matrix.Cell;
import dev.rill.bench.Matrix.Column;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the run as Markdown: one row per cell with the medians over its runs, the ratios Rill /
 * grpc-java (the same row with grpc-java in Rill's place) and Rill / floor (the floor in the Rill
 * server's place), then the targets with what this run measured.
 */
final class Table {
  private Table() {}

  static String render(List<Column> columns, Map<Column, List<Cell>> cells, Results results) {
    StringBuilder sb = new StringBuilder();
    sb.append("| workload | conns x streams | client -> server | rate/s | p50 us | p90 us | p99 us | p99.9 us | MB/s "
        + "| Rill/grpc-java rate | Rill/grpc-java p99 | Rill/floor rate | server CPU us/op | Rill/grpc-java server CPU "
        + "| spread | notes |\n");
    sb.append("|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
    for (Column column : columns) {
      for (Cell cell : cells.get(column)) {
        Cell grpcJava = new Cell(column, cell.client().asGrpcJava(), cell.server().asGrpcJava());
        Cell floor = new Cell(column, cell.client(), Side.FLOOR);
        boolean hasGrpcJava = !grpcJava.equals(cell);
        boolean hasFloor = cell.server().rill;
        sb.append("| ").append(column.workload().label)
            .append(" | ").append(column.shape().label())
            .append(" | ").append(cell.label())
            .append(" | ").append(integer(results.median(cell, Measurement::qps)))
            .append(" | ").append(integer(results.median(cell, Measurement::p50)))
            .append(" | ").append(integer(results.median(cell, Measurement::p90)))
            .append(" | ").append(integer(results.median(cell, Measurement::p99)))
            .append(" | ").append(integer(results.median(cell, Measurement::p999)))
            .append(" | ").append(decimal(results.median(cell, Measurement::megabytesPerSecond)))
            .append(" | ").append(hasGrpcJava ? times(results.ratio(cell, grpcJava, Measurement::qps)) : "")
            .append(" | ").append(hasGrpcJava ? times(results.ratio(cell, grpcJava, Measurement::p99)) : "")
            .append(" | ").append(hasFloor ? times(results.ratio(cell, floor, Measurement::qps)) : "")
            .append(" | ").append(decimal(results.median(cell, Measurement::serverCpuMicros)))
            .append(" | ").append(hasGrpcJava ? times(results.ratio(cell, grpcJava, Measurement::serverCpuMicros)) : "")
            .append(" | ").append(percent(results.spreadPercent(cell)))
            .append(" | ").append(String.join("; ", results.notes(cell)))
            .append(" |\n");
      }
    }
    return sb.toString();
  }

  /**
   * The targets of issue 5 that this run's cells can speak to, each with the figure measured (from
   * the medians above) and whether it was met. Allocation comes from the JMH section.
   */
  static String targets(List<Column> columns, Results results) {
    StringBuilder sb = new StringBuilder("| target | measured | met |\n|---|--:|---|\n");
    for (Column c : columns) {
      Workload w = c.workload();
      if (c.shape() != Shape.THROUGHPUT) {
        continue;
      }
      if (w == Workload.UNARY_0B) {
        target(sb, "h2load, unary 0 B, 4x32: Rill >= 2x grpc-java (default executors)",
            results.ratio(cell(c, Side.H2LOAD, Side.RILL), cell(c, Side.H2LOAD, Side.GRPC_JAVA), Measurement::qps), 2.0);
        target(sb, "h2load, unary 0 B, 4x32: Rill >= 1.3x grpc-java (direct executors)",
            results.ratio(cell(c, Side.H2LOAD, Side.RILL_DIRECT), cell(c, Side.H2LOAD, Side.GRPC_JAVA_DIRECT),
                Measurement::qps), 1.3);
        target(sb, "h2load, unary 0 B, 4x32: Rill >= 90 % of the floor",
            results.ratio(cell(c, Side.H2LOAD, Side.RILL), cell(c, Side.H2LOAD, Side.FLOOR), Measurement::qps), 0.9);
        supporting(sb, "h2load, unary 0 B, 4x32: server CPU per request, grpc-java / Rill (default executors)",
            results.ratio(cell(c, Side.H2LOAD, Side.GRPC_JAVA), cell(c, Side.H2LOAD, Side.RILL),
                Measurement::serverCpuMicros));
        supporting(sb, "h2load, unary 0 B, 4x32: server CPU per request, grpc-java / Rill (direct executors)",
            results.ratio(cell(c, Side.H2LOAD, Side.GRPC_JAVA_DIRECT), cell(c, Side.H2LOAD, Side.RILL_DIRECT),
                Measurement::serverCpuMicros));
        supporting(sb, "h2load, unary 0 B, 4x32: server CPU per request, floor / Rill",
            results.ratio(cell(c, Side.H2LOAD, Side.FLOOR), cell(c, Side.H2LOAD, Side.RILL),
                Measurement::serverCpuMicros));
      }
      if (w.unary() || w == Workload.PING_PONG) {
        double ratio = results.ratio(cell(c, Side.RILL, Side.RILL), cell(c, Side.GRPC_JAVA, Side.GRPC_JAVA), Measurement::qps);
        target(sb, "Rill -> Rill vs grpc-java -> grpc-java, " + w.label + ", 4x32: >= 1.5x", ratio, 1.5);
      }
      if (w.unary()) {
        double p99 = results.ratio(cell(c, Side.RILL, Side.RILL), cell(c, Side.GRPC_JAVA, Side.GRPC_JAVA), Measurement::p99);
        String met = Double.isNaN(p99) ? "not measured" : p99 <= 1.0 ? "yes" : "no";
        sb.append("| Rill -> Rill vs grpc-java -> grpc-java, ").append(w.label)
            .append(", 4x32: p99 no worse (ratio <= 1) | ").append(times(p99)).append(" | ").append(met).append(" |\n");
      }
      if (w == Workload.SERVER_STREAMING_64KIB) {
        target(sb, "server-streaming 64 KiB, 4x32, Rill client: Rill server >= 1.5x grpc-java server (msgs/s)",
            results.ratio(cell(c, Side.RILL, Side.RILL), cell(c, Side.RILL, Side.GRPC_JAVA), Measurement::qps), 1.5);
      }
    }
    return sb.toString();
  }

  private static Cell cell(Column column, Side client, Side server) {
    return new Cell(column, client, server);
  }

  private static void target(StringBuilder sb, String name, double measured, double goal) {
    String met = Double.isNaN(measured) ? "not measured" : measured >= goal ? "yes" : "no";
    sb.append("| ").append(name).append(" | ").append(times(measured)).append(" | ").append(met).append(" |\n");
  }

  /** A figure that explains a target's reading without being one: how many times cheaper Rill runs. */
  private static void supporting(StringBuilder sb, String name, double measured) {
    sb.append("| ").append(name).append(" | ").append(times(measured)).append(" | (supporting figure) |\n");
  }

  static String integer(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%d", Math.round(v));
  }

  static String decimal(double v) {
    return Double.isNaN(v) || v == 0 ? "-" : String.format(Locale.ROOT, "%.1f", v);
  }

  static String times(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, "%.2fx", v);
  }

  private static String percent(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f %%", v);
  }
}
