package dev.rill.bench;

import dev.rill.StreamObserver;
import io.grpc.benchmarks.proto.BenchmarkServiceRill.BenchmarkServiceStub;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import java.util.concurrent.CompletableFuture;

/**
 * One StreamingCall: a request, its response, the next request, until the end time, then a
 * half-close (AsyncClient.doStreamingCalls). Latency is one round trip.
 */
final class PingPongLoop implements RpcLoop, StreamObserver<SimpleResponse> {
  private final BenchmarkServiceStub stub;
  private final SimpleRequest request;
  private final long endNanos;
  private final Recorder recorder = new Recorder();
  private final CompletableFuture<Recorder> done = new CompletableFuture<>();
  private StreamObserver<SimpleRequest> requests;
  private long lastCall;

  PingPongLoop(BenchmarkServiceStub stub, SimpleRequest request, long endNanos) {
    this.stub = stub;
    this.request = request;
    this.endNanos = endNanos;
  }

  @Override
  public void start() {
    requests = stub.streamingCall(this);
    lastCall = System.nanoTime();
    requests.onNext(request);
  }

  @Override
  public void stop() {}

  @Override
  public CompletableFuture<Recorder> done() {
    return done;
  }

  @Override
  public void onNext(SimpleResponse response) {
    long now = System.nanoTime();
    recorder.recordLatency(now - lastCall);
    recorder.recordMessage(response.getPayload().getBody().size());
    lastCall = now;
    if (endNanos - now > 0) {
      requests.onNext(request);
    } else {
      requests.onCompleted();
    }
  }

  @Override
  public void onError(Throwable t) {
    recorder.failure = t;
    done.complete(recorder);
  }

  @Override
  public void onCompleted() {
    done.complete(recorder);
  }
}
