package dev.rill.bench.jmh;

import dev.rill.bench.BenchmarkServiceImpl;
import dev.rill.client.ClientChannel;
import dev.rill.server.Server;
import io.grpc.benchmarks.proto.BenchmarkServiceRill;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A blocking unary call from a Rill client to a Rill server in the same JVM over loopback TCP: with
 * {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per RPC by both sides together
 * (JMH counts every thread's allocation, event loops and executors included). Mirrors
 * {@link GrpcJavaLoopbackBenchmark}. Public and non-final because JMH generates subclasses.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RillLoopbackBenchmark {
  /** Server handlers on the event loop (true) or on the default executor (false). */
  @Param({"false", "true"})
  public boolean directExecutor;

  @Param({"0", "1024"})
  public int payload;

  private Server server;
  private ClientChannel channel;
  private BenchmarkServiceRill.BenchmarkServiceBlockingStub stub;
  private SimpleRequest request;

  @Setup
  public void start() throws IOException {
    Server.Builder builder = Server.builder().port(0).addService(new BenchmarkServiceImpl());
    if (directExecutor) {
      builder.directExecutor();
    }
    server = builder.build().start();
    channel = ClientChannel.forAddress("127.0.0.1", server.port()).build();
    stub = BenchmarkServiceRill.newBlockingStub(channel);
    request = Requests.echo(payload);
    stub.unaryCall(request); // connect outside the measurement
  }

  @TearDown
  public void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Benchmark
  public SimpleResponse unaryCall() {
    return stub.unaryCall(request);
  }
}
