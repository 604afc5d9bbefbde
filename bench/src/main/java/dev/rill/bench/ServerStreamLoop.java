package dev.rill.bench;

import dev.rill.client.ClientCallStreamObserver;
import dev.rill.client.ClientResponseObserver;
import io.grpc.benchmarks.proto.BenchmarkServiceRill.BenchmarkServiceStub;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import java.util.concurrent.CompletableFuture;

/**
 * One StreamingFromServer call taking messages as fast as the server sends them (one requested at a
 * time, the stub's automatic flow control), until {@link #stop()} cancels it. Latency is the gap
 * between messages.
 */
final class ServerStreamLoop implements RpcLoop, ClientResponseObserver<SimpleRequest, SimpleResponse> {
  private final BenchmarkServiceStub stub;
  private final SimpleRequest request;
  private final Recorder recorder = new Recorder();
  private final CompletableFuture<Recorder> done = new CompletableFuture<>();
  private volatile ClientCallStreamObserver<SimpleRequest> call;
  private volatile boolean stopped;
  private long lastMessage;

  ServerStreamLoop(BenchmarkServiceStub stub, SimpleRequest request) {
    this.stub = stub;
    this.request = request;
  }

  @Override
  public void start() {
    lastMessage = System.nanoTime();
    stub.streamingFromServer(request, this);
  }

  @Override
  public void stop() {
    stopped = true;
    call.cancel("benchmark phase over", null);
  }

  @Override
  public CompletableFuture<Recorder> done() {
    return done;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<SimpleRequest> requestStream) {
    call = requestStream;
  }

  @Override
  public void onNext(SimpleResponse response) {
    long now = System.nanoTime();
    recorder.recordLatency(now - lastMessage);
    recorder.recordMessage(response.getPayload().getBody().size());
    lastMessage = now;
  }

  @Override
  public void onError(Throwable t) {
    // After our own cancel, any status is the end we asked for: usually CANCELLED, UNAVAILABLE when the
    // connection went down under the cancellations (see LoadClient.run).
    if (!stopped) {
      recorder.failure = t;
    }
    done.complete(recorder);
  }

  @Override
  public void onCompleted() {
    if (!stopped) {
      recorder.failure = new IllegalStateException("the server ended a stream that should run until cancelled");
    }
    done.complete(recorder);
  }
}
