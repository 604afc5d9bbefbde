package dev.rill.examples.greeter;

import dev.rill.StreamObserver;

/** The server side of greeter.proto: override the generated base's methods, one per RPC. */
public final class GreeterService extends GreeterRill.GreeterImplBase {

  @Override
  public void sayHello(HelloRequest request, StreamObserver<HelloReply> responseObserver) {
    responseObserver.onNext(greeting(String.join(" and ", request.getNamesList())));
    responseObserver.onCompleted();
  }

  @Override
  public void sayHelloToEach(HelloRequest request, StreamObserver<HelloReply> responseObserver) {
    for (String name : request.getNamesList()) {
      responseObserver.onNext(greeting(name));
    }
    responseObserver.onCompleted();
  }

  private static HelloReply greeting(String name) {
    return HelloReply.newBuilder().setMessage("Hello, " + name + "!").build();
  }
}
