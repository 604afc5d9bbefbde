package dev.rill.bench.jmh;

import dev.rill.internal.GrpcTimeout;
import dev.rill.internal.PercentCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The {@code grpc-timeout} codec (every call with a deadline encodes one, every server decodes it) and
 * the {@code grpc-message} percent codec, on a plain message (the fast path) and one that needs escapes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TimeoutAndPercentBenchmark {
  // Not final: a final field holding a literal is a compile-time constant, which the JIT could fold
  // into the benchmark and measure nothing.
  private long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(1500) + 123;
  private String timeoutHeader = "1500001u";
  private String plain = "deadline exceeded after 1500 ms";
  private String escaped = "caf\u00e9: 100% of \u65e5\u672c requests failed\n";
  private String escapedWire = PercentCodec.encode(escaped);

  @Benchmark
  public String encodeTimeout() {
    return GrpcTimeout.encode(timeoutNanos);
  }

  @Benchmark
  public long decodeTimeout() {
    return GrpcTimeout.decode(timeoutHeader);
  }

  @Benchmark
  public String encodePlainMessage() {
    return PercentCodec.encode(plain);
  }

  @Benchmark
  public String encodeEscapedMessage() {
    return PercentCodec.encode(escaped);
  }

  @Benchmark
  public String decodePlainMessage() {
    return PercentCodec.decode(plain);
  }

  @Benchmark
  public String decodeEscapedMessage() {
    return PercentCodec.decode(escapedWire);
  }
}
