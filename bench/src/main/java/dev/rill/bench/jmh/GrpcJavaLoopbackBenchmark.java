package dev.rill.bench.jmh;

import dev.rill.bench.BenchmarkServiceImpl;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerServiceDefinition;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
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
 * {@link RillLoopbackBenchmark} on grpc-java 1.79 (grpc-netty-shaded, so its Netty stays apart from
 * Rill's in this JVM): the same messages, the same response-building handler, a blocking unary call
 * over loopback TCP. The method descriptor is what grpc-java's generated code would hold: protobuf
 * marshallers from grpc-protobuf and grpc-stub's call adapters on both sides.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class GrpcJavaLoopbackBenchmark {
  private static final MethodDescriptor<SimpleRequest, SimpleResponse> UNARY_CALL =
      MethodDescriptor.<SimpleRequest, SimpleResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName("grpc.testing.BenchmarkService", "UnaryCall"))
          .setRequestMarshaller(ProtoUtils.marshaller(SimpleRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(SimpleResponse.getDefaultInstance()))
          .build();

  /** Server handlers on the transport thread (true) or on grpc-java's default executor (false). */
  @Param({"false", "true"})
  public boolean directExecutor;

  @Param({"0", "1024"})
  public int payload;

  private Server server;
  private ManagedChannel channel;
  private SimpleRequest request;

  @Setup
  public void start() throws IOException {
    ServerServiceDefinition service = ServerServiceDefinition.builder("grpc.testing.BenchmarkService")
        .addMethod(UNARY_CALL, ServerCalls.asyncUnaryCall((req, responses) -> {
          responses.onNext(BenchmarkServiceImpl.makeResponse(req));
          responses.onCompleted();
        }))
        .build();
    ServerBuilder<?> builder = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()).addService(service);
    if (directExecutor) {
      builder.directExecutor();
    }
    server = builder.build().start();
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(), InsecureChannelCredentials.create())
        .build();
    request = Requests.echo(payload);
    unaryCall(); // connect outside the measurement
  }

  @TearDown
  public void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Benchmark
  public SimpleResponse unaryCall() {
    return ClientCalls.blockingUnaryCall(channel, UNARY_CALL, CallOptions.DEFAULT, request);
  }
}
