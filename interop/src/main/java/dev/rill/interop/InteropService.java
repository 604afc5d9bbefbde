package dev.rill.interop;

import com.google.protobuf.ByteString;
import dev.rill.Status;
import dev.rill.StreamObserver;
import dev.rill.server.ServerCallStreamObserver;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.EchoStatus;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceRill;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server side of {@code grpc.testing.TestService} as the interop descriptions define it.
 * {@code UnimplementedCall} stays unimplemented on purpose (the base answers UNIMPLEMENTED), and the
 * metadata echo and the {@code expect_compressed} check live in interceptors
 * ({@link EchoMetadataInterceptor}, {@link ExpectCompressedInterceptor}) because they concern the
 * call rather than a method.
 *
 * <p>Handlers may block ({@code interval_us} sleeps): the server runs them on its default executor.
 */
final class InteropService extends TestServiceRill.TestServiceImplBase {
  private static final String GZIP = "gzip";

  @Override
  public void emptyCall(Empty request, StreamObserver<Empty> responses) {
    responses.onNext(Empty.getDefaultInstance());
    responses.onCompleted();
  }

  @Override
  public void unaryCall(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
    if (failWithEchoedStatus(request.hasResponseStatus(), request.getResponseStatus(), responses)) {
      return;
    }
    if (request.hasResponseCompressed()) {
      ServerCallStreamObserver<SimpleResponse> call = (ServerCallStreamObserver<SimpleResponse>) responses;
      call.setCompression(GZIP);
      call.setMessageCompression(request.getResponseCompressed().getValue());
    }
    SimpleResponse.Builder response = SimpleResponse.newBuilder();
    if (request.getResponseSize() > 0) {
      response.setPayload(zeros(request.getResponseSize()));
    }
    responses.onNext(response.build());
    responses.onCompleted();
  }

  @Override
  public void streamingOutputCall(StreamingOutputCallRequest request,
      StreamObserver<StreamingOutputCallResponse> responses) {
    ServerCallStreamObserver<StreamingOutputCallResponse> call =
        (ServerCallStreamObserver<StreamingOutputCallResponse>) responses;
    if (wantsCompression(request)) {
      call.setCompression(GZIP);
    }
    for (ResponseParameters p : request.getResponseParametersList()) {
      if (!respond(p, call)) {
        return;
      }
    }
    if (!failWithEchoedStatus(request.hasResponseStatus(), request.getResponseStatus(), responses)) {
      responses.onCompleted();
    }
  }

  @Override
  public StreamObserver<StreamingInputCallRequest> streamingInputCall(
      StreamObserver<StreamingInputCallResponse> responses) {
    return new StreamObserver<>() {
      private int aggregated;

      @Override
      public void onNext(StreamingInputCallRequest request) {
        aggregated += request.getPayload().getBody().size();
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        responses.onNext(StreamingInputCallResponse.newBuilder().setAggregatedPayloadSize(aggregated).build());
        responses.onCompleted();
      }
    };
  }

  @Override
  public StreamObserver<StreamingOutputCallRequest> fullDuplexCall(
      StreamObserver<StreamingOutputCallResponse> responses) {
    ServerCallStreamObserver<StreamingOutputCallResponse> call =
        (ServerCallStreamObserver<StreamingOutputCallResponse>) responses;
    return new StreamObserver<>() {
      private boolean done;

      @Override
      public void onNext(StreamingOutputCallRequest request) {
        if (done) {
          return;
        }
        if (failWithEchoedStatus(request.hasResponseStatus(), request.getResponseStatus(), responses)) {
          done = true;
          return;
        }
        if (wantsCompression(request)) {
          call.setCompression(GZIP);
        }
        for (ResponseParameters p : request.getResponseParametersList()) {
          if (!respond(p, call)) {
            done = true;
            return;
          }
        }
      }

      @Override
      public void onError(Throwable t) {
        done = true;
      }

      @Override
      public void onCompleted() {
        if (!done) {
          done = true;
          responses.onCompleted();
        }
      }
    };
  }

  @Override
  public StreamObserver<StreamingOutputCallRequest> halfDuplexCall(
      StreamObserver<StreamingOutputCallResponse> responses) {
    ServerCallStreamObserver<StreamingOutputCallResponse> call =
        (ServerCallStreamObserver<StreamingOutputCallResponse>) responses;
    List<StreamingOutputCallRequest> buffered = new ArrayList<>();
    return new StreamObserver<>() {
      @Override
      public void onNext(StreamingOutputCallRequest request) {
        buffered.add(request);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        if (buffered.stream().anyMatch(InteropService::wantsCompression)) {
          call.setCompression(GZIP);
        }
        for (StreamingOutputCallRequest request : buffered) {
          if (failWithEchoedStatus(request.hasResponseStatus(), request.getResponseStatus(), responses)) {
            return;
          }
          for (ResponseParameters p : request.getResponseParametersList()) {
            if (!respond(p, call)) {
              return;
            }
          }
        }
        responses.onCompleted();
      }
    };
  }

  /** Waits {@code interval_us}, then sends one response as {@code p} asks; false if the call is gone. */
  private static boolean respond(ResponseParameters p, ServerCallStreamObserver<StreamingOutputCallResponse> call) {
    if (p.getIntervalUs() > 0) {
      try {
        TimeUnit.MICROSECONDS.sleep(p.getIntervalUs());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        call.onError(Status.CANCELLED.withDescription("server interrupted").asException());
        return false;
      }
    }
    if (call.isCancelled()) {
      return false;
    }
    // Per message: compressed only when this response asks for it (once an encoding is set, Rill
    // compresses by default, so an unset flag must turn it off).
    call.setMessageCompression(p.getCompressed().getValue());
    call.onNext(StreamingOutputCallResponse.newBuilder().setPayload(zeros(p.getSize())).build());
    return true;
  }

  private static boolean wantsCompression(StreamingOutputCallRequest request) {
    return request.getResponseParametersList().stream().anyMatch(p -> p.getCompressed().getValue());
  }

  /** Ends the call with the status the client asked to see echoed; false if it asked for none. */
  private static boolean failWithEchoedStatus(boolean present, EchoStatus echo, StreamObserver<?> responses) {
    if (!present || echo.getCode() == 0) {
      return false;
    }
    responses.onError(Status.fromCodeValue(echo.getCode()).withDescription(echo.getMessage()).asException());
    return true;
  }

  static Payload zeros(int size) {
    return Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])).build();
  }
}
