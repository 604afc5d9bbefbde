package dev.rill.codegen;

import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import dev.rill.StreamObserver;
import dev.rill.codegen.test.common.Shared;
import dev.rill.codegen.test.everything.EverythingOuterClass.EchoRequest;
import dev.rill.codegen.test.everything.EverythingOuterClass.EchoResponse;
import dev.rill.codegen.test.everything.EverythingRill;

/** The test server's implementation of every method of {@code Everything} but {@code Unimplemented}. */
final class EverythingService extends EverythingRill.EverythingImplBase {

  @Override
  public void echo(EchoRequest request, StreamObserver<EchoResponse> responseObserver) {
    responseObserver.onNext(EchoResponse.newBuilder().setText(request.getText()).setEchoed(request).build());
    responseObserver.onCompleted();
  }

  @Override
  public void expand(EchoRequest request, StreamObserver<EchoResponse> responseObserver) {
    for (int n : request.getNumbersList()) {
      responseObserver.onNext(EchoResponse.newBuilder().setText(request.getText()).addNumbers(n).build());
    }
    responseObserver.onCompleted();
  }

  @Override
  public StreamObserver<EchoRequest> collect(StreamObserver<EchoResponse> responseObserver) {
    return new StreamObserver<>() {
      private final EchoResponse.Builder sum = EchoResponse.newBuilder();

      @Override
      public void onNext(EchoRequest value) {
        sum.setText(sum.getText() + value.getText()).addAllNumbers(value.getNumbersList())
            .putCounts(value.getText(), value.getNumbersCount());
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        responseObserver.onNext(sum.build());
        responseObserver.onCompleted();
      }
    };
  }

  @Override
  public StreamObserver<EchoRequest> chat(StreamObserver<EchoResponse> responseObserver) {
    return new StreamObserver<>() {
      @Override
      public void onNext(EchoRequest value) {
        responseObserver.onNext(EchoResponse.newBuilder().setText(value.getText().toUpperCase()).build());
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        responseObserver.onCompleted();
      }
    };
  }

  @Override
  public void ping(Empty request, StreamObserver<Timestamp> responseObserver) {
    responseObserver.onNext(Timestamp.newBuilder().setSeconds(42).build());
    responseObserver.onCompleted();
  }

  @Override
  public void lookup(Shared.Key request, StreamObserver<Shared> responseObserver) {
    responseObserver.onNext(Shared.newBuilder().setKey(request).setValue("found " + request.getId()).build());
    responseObserver.onCompleted();
  }

  @Override
  public void nest(EchoRequest.Nested request, StreamObserver<EchoRequest.Nested.Deeper> responseObserver) {
    responseObserver.onNext(EchoRequest.Nested.Deeper.newBuilder()
        .setPath(request.getValue() + "/" + request.getMood()).build());
    responseObserver.onCompleted();
  }

  @Deprecated
  @Override
  public void oldEcho(EchoRequest request, StreamObserver<EchoResponse> responseObserver) {
    responseObserver.onNext(EchoResponse.newBuilder().setText("old " + request.getText()).build());
    responseObserver.onCompleted();
  }
}
