package dev.rill.bench.jmh;

import com.google.protobuf.ByteString;
import io.grpc.benchmarks.proto.Messages.Payload;
import io.grpc.benchmarks.proto.Messages.PayloadType;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;

/** The request the load clients send: {@code payload} bytes up, asking for {@code payload} bytes back. */
final class Requests {
  private Requests() {}

  static SimpleRequest echo(int payload) {
    return SimpleRequest.newBuilder()
        .setResponseType(PayloadType.COMPRESSABLE)
        .setResponseSize(payload)
        .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[payload])))
        .build();
  }
}
