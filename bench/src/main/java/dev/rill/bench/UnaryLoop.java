package dev.rill.bench;

import dev.rill.StreamObserver;
import io.grpc.benchmarks.proto.BenchmarkServiceRill.BenchmarkServiceStub;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Unary calls back to back, each started from the previous one's completion, until the end time
 * (AsyncClient.doUnaryCalls). Latency is completion to completion, as AsyncClient measures it.
 */
final class UnaryLoop implements RpcLoop, StreamObserver<SimpleResponse> {
  private final BenchmarkServiceStub stub;
  private final SimpleRequest request;
  private final long endNanos;
  private final Recorder recorder = new Recorder();
  private final CompletableFuture<Recorder> done = new CompletableFuture<>();
  private long lastCall;

  UnaryLoop(BenchmarkServiceStub stub, SimpleRequest request, long endNanos) {
    this.stub = stub;
    this.request = request;
    this.endNanos = endNanos;
  }

  @Override
  public void start() {
    lastCall = System.nanoTime();
    stub.unaryCall(request, this);
  }

  @Override
  public void stop() {}

  @Override
  public CompletableFuture<Recorder> done() {
    return done;
  }

  @Override
  public void onNext(SimpleResponse response) {
    recorder.recordMessage(response.getPayload().getBody().size());
  }

  @Override
  public void onError(Throwable t) {
    recorder.failure = t;
    done.complete(recorder);
  }

  @Override
  public void onCompleted() {
    long now = System.nanoTime();
    recorder.recordLatency(now - lastCall);
    lastCall = now;
    if (endNanos - now > 0) {
      stub.unaryCall(request, this);
    } else {
      done.complete(recorder);
    }
  }
}
