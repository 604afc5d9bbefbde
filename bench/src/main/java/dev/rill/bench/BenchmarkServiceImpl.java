package dev.rill.bench;

import com.google.protobuf.ByteString;
import dev.rill.Status;
import dev.rill.StreamObserver;
import dev.rill.server.ServerCallStreamObserver;
import io.grpc.benchmarks.proto.BenchmarkServiceRill;
import io.grpc.benchmarks.proto.Messages.Payload;
import io.grpc.benchmarks.proto.Messages.PayloadType;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;

/**
 * grpc.testing.BenchmarkService on Rill, doing what grpc-java's AsyncServer.BenchmarkServiceImpl
 * does, call for call, so the two servers are compared on the same work: the same response built the
 * same way (a fresh payload per response), the same flow-controlled send loops.
 *
 * <p>Public only for the JMH loopback benchmarks in {@code dev.rill.bench.jmh} (JMH needs public
 * benchmark classes, so they cannot live in this package's private scope).
 */
public final class BenchmarkServiceImpl extends BenchmarkServiceRill.BenchmarkServiceImplBase {
  /** AsyncServer answers bidi streams with a canned 100-byte response; so does this. */
  private static final SimpleResponse BIDI_RESPONSE = SimpleResponse.newBuilder()
      .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[100])))
      .build();

  /** The response for {@code request}: {@code response_size} zero bytes, built per call as AsyncServer does. */
  public static SimpleResponse makeResponse(SimpleRequest request) {
    if (request.getResponseSize() <= 0) {
      return SimpleResponse.getDefaultInstance();
    }
    if (request.getResponseType() != PayloadType.COMPRESSABLE) {
      throw Status.INTERNAL.withDescription("Error creating payload.").asException();
    }
    Payload payload = Payload.newBuilder()
        .setType(request.getResponseType())
        .setBody(ByteString.copyFrom(new byte[request.getResponseSize()]))
        .build();
    return SimpleResponse.newBuilder().setPayload(payload).build();
  }

  @Override
  public void unaryCall(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
    responses.onNext(makeResponse(request));
    responses.onCompleted();
  }

  @Override
  public StreamObserver<SimpleRequest> streamingCall(StreamObserver<SimpleResponse> responses) {
    return new StreamObserver<>() {
      @Override
      public void onNext(SimpleRequest request) {
        responses.onNext(makeResponse(request));
      }

      @Override
      public void onError(Throwable t) {
        responses.onError(t);
      }

      @Override
      public void onCompleted() {
        responses.onCompleted();
      }
    };
  }

  @Override
  public StreamObserver<SimpleRequest> streamingFromClient(StreamObserver<SimpleResponse> responses) {
    return new StreamObserver<>() {
      private SimpleRequest lastSeen;

      @Override
      public void onNext(SimpleRequest request) {
        lastSeen = request;
      }

      @Override
      public void onError(Throwable t) {
        responses.onError(t);
      }

      @Override
      public void onCompleted() {
        if (lastSeen == null) {
          responses.onError(Status.FAILED_PRECONDITION.withDescription("never received any requests").asException());
          return;
        }
        responses.onNext(makeResponse(lastSeen));
        responses.onCompleted();
      }
    };
  }

  @Override
  public void streamingFromServer(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
    sendUntilCancelled(makeResponse(request), (ServerCallStreamObserver<SimpleResponse>) responses);
  }

  @Override
  public StreamObserver<SimpleRequest> streamingBothWays(StreamObserver<SimpleResponse> responses) {
    sendUntilCancelled(BIDI_RESPONSE, (ServerCallStreamObserver<SimpleResponse>) responses);
    return new StreamObserver<>() {
      @Override
      public void onNext(SimpleRequest request) {}

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        // Clients end these streams by cancelling; a half-close just means no more requests.
      }
    };
  }

  /**
   * Sends {@code response} while the stream has window, resuming from the on-ready handler, until the
   * client cancels (StreamObservers.copyWithFlowControl in grpc-java).
   */
  private static void sendUntilCancelled(SimpleResponse response, ServerCallStreamObserver<SimpleResponse> responses) {
    Runnable drain = () -> {
      while (responses.isReady() && !responses.isCancelled()) {
        responses.onNext(response);
      }
    };
    responses.setOnReadyHandler(drain);
    // The call's first onReady may have fired before this handler ran (a server-streaming handler runs
    // at half-close): start sending now rather than wait for a window update that may never come.
    drain.run();
  }
}
