package dev.rill.bench;

import dev.rill.bench.jmh.GrpcJavaLoopbackBenchmark;
import dev.rill.bench.jmh.RillLoopbackBenchmark;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The allocation part of the run: the in-process loopback unary benchmarks of both runtimes under
 * JMH's GC profiler, each in a forked JVM, with default executors and 0-byte payloads. Reports bytes
 * allocated per RPC (client and server together) and blocking calls per second on one thread.
 */
final class AllocationCheck {
  private AllocationCheck() {}

  static String run(int warmupIterations, int iterations) throws RunnerException {
    Options options = new OptionsBuilder()
        .include(RillLoopbackBenchmark.class.getName() + ".unaryCall")
        .include(GrpcJavaLoopbackBenchmark.class.getName() + ".unaryCall")
        .param("directExecutor", "false")
        .param("payload", "0")
        .addProfiler(GCProfiler.class)
        .forks(1)
        .warmupIterations(warmupIterations)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(iterations)
        .measurementTime(TimeValue.seconds(1))
        .verbosity(VerboseMode.SILENT)
        .build();
    Collection<RunResult> results = new Runner(options).run();
    double rillBytes = Double.NaN;
    double grpcBytes = Double.NaN;
    double rillOps = Double.NaN;
    double grpcOps = Double.NaN;
    for (RunResult r : results) {
      Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
      double bytes = alloc == null ? Double.NaN : alloc.getScore();
      double ops = r.getPrimaryResult().getScore();
      if (r.getParams().getBenchmark().startsWith(RillLoopbackBenchmark.class.getName())) {
        rillBytes = bytes;
        rillOps = ops;
      } else {
        grpcBytes = bytes;
        grpcOps = ops;
      }
    }
    double ratio = rillBytes / grpcBytes;
    return "| loopback unary 0 B, one JVM, default executors | bytes allocated per RPC (client + server) "
        + "| blocking calls/s, 1 thread |\n|---|--:|--:|\n"
        + "| Rill | " + Table.integer(rillBytes) + " | " + Table.integer(rillOps) + " |\n"
        + "| grpc-java | " + Table.integer(grpcBytes) + " | " + Table.integer(grpcOps) + " |\n"
        + "| Rill / grpc-java | " + Table.times(ratio) + " | " + Table.times(rillOps / grpcOps) + " |\n\n"
        + String.format(Locale.ROOT, "Target: Rill allocates <= 1/3 of grpc-java's bytes per RPC: %s.%n",
            Double.isNaN(ratio) ? "not measured" : ratio <= 1.0 / 3 ? "met" : "not met");
  }
}
