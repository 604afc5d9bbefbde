package dev.rill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Every JMH benchmark runs once, in this JVM, for a few milliseconds: the harness was generated and
 * each benchmark's setup, body and teardown work. Nothing is measured.
 */
class JmhSmokeTest {
  @Test
  void everyBenchmarkRuns() throws Exception {
    Options options = new OptionsBuilder()
        .include("dev\\.rill\\.bench\\.jmh\\..*")
        .param("payload", "0")
        .param("directExecutor", "true")
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(20))
        .verbosity(VerboseMode.SILENT)
        .build();
    Collection<RunResult> results = new Runner(options).run();
    // Framing 3, header codec 6, timeout and percent 6, one loopback call per runtime.
    assertEquals(17, results.size(), "one result per benchmark method");
    for (RunResult r : results) {
      assertTrue(r.getPrimaryResult().getScore() > 0, r.getParams().getBenchmark() + " did nothing");
    }
  }
}
