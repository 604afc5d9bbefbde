package dev.rill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.bench.Matrix.Cell;
import dev.rill.bench.Matrix.Column;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The runner's readers of the tools' outputs, the matrix and the table, on canned input. */
class ReportParsingTest {
  @Test
  void readsAsyncClientsReport() {
    Measurement m = Measurement.parse(String.join("\n",
        "Channels:                       4",
        "Outstanding RPCs per Channel:   32",
        "50%ile Latency (in micros):     812",
        "90%ile Latency (in micros):     1500",
        "95%ile Latency (in micros):     1700",
        "99%ile Latency (in micros):     2900",
        "99.9%ile Latency (in micros):   7100",
        "Maximum Latency (in micros):    9000",
        "QPS:                            41234", ""));
    assertEquals(41234, m.qps());
    assertEquals(812, m.p50());
    assertEquals(2900, m.p99());
    assertEquals(7100, m.p999());
    assertTrue(Double.isNaN(m.megabytesPerSecond()));
    assertThrows(IllegalArgumentException.class, () -> Measurement.parse("Exception in thread main"));
  }

  @Test
  void readsItsOwnReportBack() {
    Histogram h = Recorder.newHistogram();
    h.recordValue(100);
    h.recordValue(300);
    Measurement m = Measurement.of(h, 2, 2_000_000, 0, 1_000_000_000L);
    LoadConfig c = LoadConfig.fromArgs(new String[] {"--address=localhost:1"});
    Measurement back = Measurement.parse(Measurement.format(c, h, m));
    assertEquals(2, back.qps());
    assertEquals(2, back.messagesPerSecond());
    assertEquals(2.0, back.megabytesPerSecond(), 0.001);
    assertEquals(h.getValueAtPercentile(99), back.p99());
  }

  @Test
  void readsH2loadAndNghttp() {
    Measurement m = H2Load.parse(String.join("\n",
        "finished in 4.04s, 3232.00 req/s, 110.47KB/s",
        "requests: 9696 total, 9696 started, 9696 done, 9690 succeeded, 4 failed, 2 errored, 0 timeout",
        "status codes: 9690 2xx, 0 3xx, 0 4xx, 4 5xx"));
    assertEquals(3232.0, m.qps());
    assertEquals(6, m.errors());
    assertThrows(IllegalStateException.class, () -> H2Load.parse(String.join("\n",
        "finished in 3.05s, 0.00 req/s, 0B/s",
        "requests: 0 total, 0 started, 0 done, 0 succeeded, 0 failed, 0 errored, 0 timeout")));

    StringBuilder ok = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      ok.append("[  0.035] recv (stream_id=").append(2 * i + 13).append(") grpc-status: 0\n");
    }
    assertEquals("grpc-status 0 in 20/20 sampled", H2Load.statusCheck(ok.toString()));
    assertTrue(H2Load.statusCheck("[  0.035] recv (stream_id=13) grpc-status: 12\n").startsWith("BAD"));
  }

  @Test
  void shortMatrixKeepsTheTargetsCells() {
    List<Column> columns = Matrix.columns(false);
    int cells = columns.stream().mapToInt(c -> Matrix.cells(c, false).size()).sum();
    assertEquals(26, cells, "the short run's size is what keeps ./rill bench under five minutes");
    Column unary = new Column(Workload.UNARY_0B, Shape.THROUGHPUT);
    assertTrue(Matrix.cells(unary, false).containsAll(List.of(new Cell(unary, Side.H2LOAD, Side.RILL_DIRECT),
        new Cell(unary, Side.H2LOAD, Side.GRPC_JAVA_DIRECT), new Cell(unary, Side.RILL, Side.FLOOR))));
    Column streaming = new Column(Workload.SERVER_STREAMING_64KIB, Shape.THROUGHPUT);
    assertTrue(Matrix.cells(streaming, true).stream().noneMatch(c -> c.client().grpcJava()),
        "AsyncClient cannot drive server-streaming");
  }

  @Test
  void theTableShowsMediansRatiosAndServerCpuPerRequest() {
    Column column = new Column(Workload.UNARY_0B, Shape.THROUGHPUT);
    Cell rill = new Cell(column, Side.H2LOAD, Side.RILL);
    Cell grpcJava = new Cell(column, Side.H2LOAD, Side.GRPC_JAVA);
    Cell floor = new Cell(column, Side.H2LOAD, Side.FLOOR);
    Results results = new Results();
    for (double qps : new double[] {100, 300, 200}) {
      results.add(rill, new Measurement(qps, 1, 2, 3, 4, Double.NaN, Double.NaN, 0, 10));
    }
    results.add(grpcJava, new Measurement(100, 1, 2, 3, 4, Double.NaN, Double.NaN, 0, 25));
    results.add(floor, new Measurement(400, 1, 2, 3, 4, Double.NaN, Double.NaN, 0, Double.NaN));
    String table = Table.render(List.of(column), Map.of(column, List.of(rill, grpcJava, floor)), results);
    assertTrue(table.contains("| h2load -> Rill | 200 | 1 | 2 | 3 | 4 | - | 2.00x | 1.00x | 0.50x | 10.0 | 0.40x "
        + "| 100 % |"), table);
    String targets = Table.targets(List.of(column), results);
    assertTrue(targets.contains("| h2load, unary 0 B, 4x32: Rill >= 2x grpc-java (default executors) | 2.00x | yes |"));
    assertTrue(targets.contains("| h2load, unary 0 B, 4x32: server CPU per request, grpc-java / Rill (default "
        + "executors) | 2.50x | (supporting figure) |"), targets);
  }
}
