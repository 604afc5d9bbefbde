package dev.rill.bench;

import com.google.protobuf.ByteString;
import dev.rill.client.ClientChannel;
import dev.rill.client.ClientTls;
import io.grpc.benchmarks.proto.BenchmarkServiceRill;
import io.grpc.benchmarks.proto.BenchmarkServiceRill.BenchmarkServiceStub;
import io.grpc.benchmarks.proto.Messages.Payload;
import io.grpc.benchmarks.proto.Messages.PayloadType;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * {@code ./rill bench-client}: Rill's closed-loop load client, grpc-java AsyncClient's counterpart. C
 * channels (one HTTP/2 connection each) times R outstanding RPCs, a warm-up phase whose figures are
 * dropped, then the measured phase; prints AsyncClient's report (latency percentiles, QPS) plus
 * messages/s and MB/s. Talks to any BenchmarkService: Rill's, grpc-java's AsyncServer, the floor.
 */
final class LoadClient {
  private final LoadConfig config;

  LoadClient(LoadConfig config) {
    this.config = config;
  }

  public static void main(String[] args) throws Exception {
    LoadConfig config;
    try {
      config = LoadConfig.fromArgs(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench-client: " + e.getMessage());
      System.err.println(LoadConfig.USAGE);
      System.exit(2);
      return;
    }
    // Read once when Rill's transport class loads, so it must be set before the first channel.
    if (config.transport() != null) {
      System.setProperty("rill.transport", config.transport().toLowerCase().contains("nio") ? "nio" : "epoll");
    }
    Result result = new LoadClient(config).run();
    System.out.print(Measurement.format(config, result.latency, result.measurement));
    if (config.saveHistogram() != null) {
      try (PrintStream out = new PrintStream(new FileOutputStream(config.saveHistogram()), false)) {
        result.latency.outputPercentileDistribution(out, 1.0);
      }
    }
    if (result.firstFailure != null) {
      System.err.println("bench-client: " + result.measurement.errors() + " RPC slot(s) failed; first: "
          + result.firstFailure);
      System.exit(1);
    }
    System.exit(0);
  }

  /** The measured phase's figures, the merged histogram and the first failure, if any. */
  record Result(Measurement measurement, Histogram latency, Throwable firstFailure) {}

  Result run() throws InterruptedException {
    SimpleRequest request = newRequest();
    // A server-streaming phase ends by cancelling every stream with data in flight, which Rill's client
    // answers with a burst of RST_STREAMs; past 200 in 30 s Netty's limit closes the connection
    // (bench/RESULTS.md). So each such phase gets connections of its own; other phases share them.
    boolean freshConnections = config.rpcType() == RpcType.STREAMING_FROM_SERVER;
    List<ClientChannel> channels = newChannels();
    try {
      if (config.warmupSeconds() > 0) {
        runPhase(channels, request, config.warmupSeconds());
        if (freshConnections) {
          shutdown(channels);
          channels = newChannels();
        }
        // As AsyncClient: start the measured phase with a clean heap.
        System.gc();
      }
      return runPhase(channels, request, config.durationSeconds());
    } finally {
      shutdown(channels);
    }
  }

  private List<ClientChannel> newChannels() {
    List<ClientChannel> channels = new ArrayList<>(config.channels());
    for (int i = 0; i < config.channels(); i++) {
      channels.add(newChannel());
    }
    return channels;
  }

  private static void shutdown(List<ClientChannel> channels) {
    for (ClientChannel channel : channels) {
      channel.shutdownNow();
    }
  }

  private SimpleRequest newRequest() {
    return SimpleRequest.newBuilder()
        .setResponseType(PayloadType.COMPRESSABLE)
        .setResponseSize(config.serverPayload())
        .setPayload(Payload.newBuilder().setType(PayloadType.COMPRESSABLE)
            .setBody(ByteString.copyFrom(new byte[config.clientPayload()])))
        .build();
  }

  private ClientChannel newChannel() {
    ClientChannel.Builder builder = ClientChannel.forAddress(config.host(), config.port())
        .flowControlWindow(config.flowControlWindow());
    if (config.tls()) {
      ClientTls.Builder tls = ClientTls.builder();
      if (config.testca()) {
        tls.trustRoots(TestCerts.load("ca.pem")).authorityOverride(TestCerts.AUTHORITY);
      }
      builder.tls(tls.build());
    }
    if (config.directExecutor()) {
      // Callbacks on the event loop, as AsyncClient's --directexecutor.
      builder.executor(Runnable::run);
    } else {
      builder.executor(BenchExecutor.pool());
    }
    return builder.build();
  }

  private Result runPhase(List<ClientChannel> channels, SimpleRequest request, double seconds)
      throws InterruptedException {
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    List<RpcLoop> loops = new ArrayList<>();
    for (ClientChannel channel : channels) {
      BenchmarkServiceStub stub = BenchmarkServiceRill.newStub(channel);
      for (int i = 0; i < config.outstandingRpcs(); i++) {
        loops.add(switch (config.rpcType()) {
          case UNARY -> new UnaryLoop(stub, request, end);
          case STREAMING -> new PingPongLoop(stub, request, end);
          case STREAMING_FROM_SERVER -> new ServerStreamLoop(stub, request);
        });
      }
    }
    for (RpcLoop loop : loops) {
      loop.start();
    }
    if (config.rpcType() == RpcType.STREAMING_FROM_SERVER) {
      TimeUnit.NANOSECONDS.sleep(Math.max(0, end - System.nanoTime()));
    }
    // Counted up to the stop, not to the end of the cancellations that follow it.
    long stopped = System.nanoTime();
    for (RpcLoop loop : loops) {
      loop.stop();
    }
    Histogram merged = Recorder.newHistogram();
    long messages = 0;
    long bytes = 0;
    long errors = 0;
    Throwable first = null;
    for (RpcLoop loop : loops) {
      Recorder r = await(loop);
      merged.add(r.latencyMicros);
      messages += r.messages;
      bytes += r.payloadBytes;
      if (r.failure != null) {
        errors++;
        first = first == null ? r.failure : first;
      }
    }
    long elapsed = (config.rpcType() == RpcType.STREAMING_FROM_SERVER ? stopped : System.nanoTime()) - start;
    return new Result(Measurement.of(merged, messages, bytes, errors, elapsed), merged, first);
  }

  private static Recorder await(RpcLoop loop) throws InterruptedException {
    try {
      return loop.done().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("an RPC slot failed unexpectedly", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("an RPC slot did not finish within 60 s of the phase's end", e);
    }
  }
}
