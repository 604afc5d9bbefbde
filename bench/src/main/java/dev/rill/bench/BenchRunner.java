package dev.rill.bench;

import dev.rill.bench.Matrix.Cell;
import dev.rill.bench.Matrix.Column;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code ./rill bench}: runs the matrix of {@link Matrix} with every client and server in a JVM (or
 * process) of its own, servers started once, cells of a column measured round-robin (A B C A B C) so
 * drift of the machine falls on all of them alike; then the JMH allocation check; prints the Markdown
 * report (machine, settings, table of medians and ratios, targets).
 *
 * <p>Flags: {@code --full} (the long run), {@code --reps=N --warmup=S --duration=S} (override either
 * mode's settings), {@code --only=TEXT} (cells whose row contains TEXT), {@code --skip_allocation},
 * {@code --out=FILE} (also write the report there).
 */
final class BenchRunner {
  private final Settings settings;
  private final String benchClasspath = System.getProperty("java.class.path");
  private final String peerClasspath;
  private final Optional<H2Load> h2load;
  private final Path workDir;
  private final Results results = new Results();

  /** How long and how often: the short run fits in five minutes on two cores. */
  record Settings(boolean full, int reps, int warmupSeconds, int durationSeconds, String only,
      boolean allocation, Path out) {

    static Settings parse(String[] args) {
      Flags f = Flags.parse(args, Set.of("full", "reps", "warmup", "duration", "only", "skip_allocation", "out"));
      boolean full = f.bool("full");
      return new Settings(full, f.integer("reps", full ? 3 : 2), f.integer("warmup", full ? 5 : 1),
          f.integer("duration", full ? 10 : 2), f.string("only", null), !f.bool("skip_allocation"),
          f.has("out") ? Path.of(f.string("out", null)) : null);
    }
  }

  private BenchRunner(Settings settings, String peerClasspath, Path workDir) {
    this.settings = settings;
    this.peerClasspath = peerClasspath;
    this.workDir = workDir;
    this.h2load = H2Load.find(workDir);
  }

  public static void main(String[] args) throws Exception {
    Settings settings;
    try {
      settings = Settings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.println("usage: ./rill bench [--full] [--reps=N] [--warmup=S] [--duration=S] [--only=TEXT] "
          + "[--skip_allocation] [--out=FILE]");
      System.exit(2);
      return;
    }
    Path peerFile = Path.of(System.getProperty("rill.bench.peerClasspath", "bench/grpc-java-peer/target/classpath.txt"));
    if (!Files.isReadable(peerFile)) {
      System.err.println("bench: " + peerFile + " is missing: build bench/grpc-java-peer first (./rill bench does)");
      System.exit(2);
      return;
    }
    Path workDir = Files.createTempDirectory("rill-bench-");
    String report = new BenchRunner(settings, Files.readString(peerFile).trim(), workDir).run(args);
    System.out.print(report);
    if (settings.out() != null) {
      Files.writeString(settings.out(), report, StandardCharsets.UTF_8);
    }
  }

  private String run(String[] args) throws Exception {
    String machineBefore = loadAverage();
    Instant started = Instant.now();
    List<Column> columns = Matrix.columns(settings.full());
    Map<Column, List<Cell>> cells = new LinkedHashMap<>();
    int total = 0;
    for (Column column : columns) {
      List<Cell> kept = new ArrayList<>();
      for (Cell cell : Matrix.cells(column, settings.full())) {
        if (settings.only() == null || row(cell).contains(settings.only())) {
          kept.add(cell);
        }
      }
      cells.put(column, kept);
      total += kept.size() * settings.reps();
    }
    int done = 0;
    try (Servers servers = Servers.start(benchClasspath, peerClasspath, workDir)) {
      for (Column column : columns) {
        for (int rep = 0; rep < settings.reps(); rep++) {
          for (Cell cell : cells.get(column)) {
            done++;
            measure(servers, cell);
            System.err.printf(Locale.ROOT, "[%d/%d] %s: %s%n", done, total, row(cell),
                Table.integer(results.runs(cell).isEmpty() ? Double.NaN
                    : results.runs(cell).get(results.runs(cell).size() - 1).qps()));
          }
        }
      }
    }
    String allocation = "";
    if (settings.allocation()) {
      System.err.println("allocation check (JMH, GC profiler)...");
      try {
        allocation = AllocationCheck.run(settings.full() ? 5 : 1, settings.full() ? 5 : 2);
      } catch (Exception e) {
        allocation = "Allocation check failed: " + e + "\n";
      }
    }
    long seconds = Duration.between(started, Instant.now()).toSeconds();
    return header(args, machineBefore, seconds) + "\n" + Table.render(columns, cells, results)
        + "\n### Targets (issue 5), from the medians above\n\n" + Table.targets(columns, results)
        + (allocation.isEmpty() ? "" : "\n### Allocation\n\n" + allocation);
  }

  private static String row(Cell cell) {
    return cell.column().workload().label + " " + cell.column().shape().label() + " " + cell.label();
  }

  private void measure(Servers servers, Cell cell) throws InterruptedException {
    Column column = cell.column();
    int port = servers.port(cell.server(), column.workload());
    // The middle of the measured phase: clear of the client's start-up and warm-up and of its end.
    CompletableFuture<Double> serverCpu = ServerCpu.sample(servers.pid(cell.server()),
        settings.warmupSeconds() + 1.0, Math.max(1.0, settings.durationSeconds() - 2.0));
    try {
      if (cell.client() == Side.H2LOAD) {
        if (h2load.isEmpty()) {
          results.note(cell, H2Load.INSTALL_HINT);
          return;
        }
        H2Load.Outcome outcome = h2load.get().run(port, column.shape(), column.workload(),
            settings.warmupSeconds(), settings.durationSeconds());
        record(cell, outcome.measurement().withServerCpu(serverCpu.join()));
        results.note(cell, outcome.statusCheck());
        return;
      }
      Child client = Child.start(cell.client().label + " client", clientCommand(cell, port), workDir.resolve("client.log"));
      String output = client.awaitExit(Duration.ofSeconds(settings.warmupSeconds() + settings.durationSeconds() + 120L));
      record(cell, Measurement.parse(output).withServerCpu(serverCpu.join()));
    } catch (RuntimeException e) {
      String dead = servers.deadServer();
      results.note(cell, "run failed: " + summary(e.getMessage()) + (dead == null ? "" : " (a server died: "
          + summary(dead) + ")"));
    }
  }

  private void record(Cell cell, Measurement m) {
    results.add(cell, m);
    if (m.errors() > 0) {
      results.note(cell, m.errors() + " failed RPCs/requests in a run");
    }
  }

  private List<String> clientCommand(Cell cell, int port) {
    Workload w = cell.column().workload();
    Shape shape = cell.column().shape();
    List<String> cmd = new ArrayList<>(List.of(Child.java(), "-cp"));
    if (cell.client().rill) {
      cmd.addAll(List.of(benchClasspath, LoadClient.class.getName()));
    } else {
      cmd.addAll(List.of(peerClasspath, "io.grpc.benchmarks.qps.AsyncClient"));
    }
    cmd.addAll(List.of("--address=127.0.0.1:" + port, "--channels=" + shape.channels,
        "--outstanding_rpcs=" + shape.outstanding, "--client_payload=" + w.clientPayload,
        "--server_payload=" + w.serverPayload, "--warmup_duration=" + settings.warmupSeconds(),
        "--duration=" + settings.durationSeconds(), "--transport=netty_epoll"));
    if (w.rpcFlag() != null) {
      cmd.add(w.rpcFlag());
    }
    if (cell.client().direct) {
      cmd.add("--directexecutor");
    }
    return cmd;
  }

  private String header(String[] args, String loadBefore, long seconds) {
    return String.format(Locale.ROOT, "## ./rill bench %s%n%n"
            + "- mode: %s; %d run(s) per cell, %d s warm-up + %d s measured per run; cells of a column round-robin%n"
            + "- machine: %d cores (nproc), %s %s, %s %s%n"
            + "- load average (1/5/15 min) before: %s; after: %s%n"
            + "- h2load: %s%n"
            + "- every client and server in its own JVM or process; grpc-java 1.79.0 AsyncServer/AsyncClient with "
            + "--transport=netty_epoll (Rill uses epoll by default)%n"
            + "- took %d min %d s; rate/s is QPS (unary, ping-pong round trips) or messages/s (server-streaming); "
            + "latencies in microseconds; medians over the runs; spread = (max - min) / median of the rate%n",
        String.join(" ", args), settings.full() ? "full" : "short", settings.reps(), settings.warmupSeconds(),
        settings.durationSeconds(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"), System.getProperty("os.name"), System.getProperty("os.arch"),
        loadBefore, loadAverage(), h2load.isPresent() ? "found on PATH" : H2Load.INSTALL_HINT, seconds / 60, seconds % 60);
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return parts[0] + " / " + parts[1] + " / " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** The first and last lines of a failure (what failed, and the output's last word on why). */
  private static String summary(String s) {
    if (s == null) {
      return "";
    }
    List<String> lines = s.lines().filter(l -> !l.isBlank()).toList();
    return lines.isEmpty() ? "" : lines.size() == 1 ? lines.get(0)
        : lines.get(0) + " ... " + lines.get(lines.size() - 1).trim();
  }
}
