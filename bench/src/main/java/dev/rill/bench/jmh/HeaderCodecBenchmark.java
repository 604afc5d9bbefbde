package dev.rill.bench.jmh;

import dev.rill.Metadata;
import dev.rill.Status;
import dev.rill.internal.MetadataCodec;
import dev.rill.internal.StatusCodec;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Rill's header and trailer codecs: the trailers of every call ({@link StatusCodec#encodeTrailers},
 * {@link StatusCodec#decodeStatus}), with and without an error message to percent-encode, and custom
 * metadata to and from header blocks ({@link MetadataCodec}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HeaderCodecBenchmark {
  private final Metadata empty = new Metadata();
  private final Metadata metadata = new Metadata()
      .put("x-request-id", "7f3e2a1c-5b6d-4e8f-9a0b-1c2d3e4f5a6b")
      .put("authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo")
      .putBinary("trace-bin", new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
  private final Status error = Status.INVALID_ARGUMENT.withDescription("name: must not be empty (got \"\" at 12:00 ü)");
  private Http2Headers okTrailers;
  private Http2Headers errorTrailers;
  private Http2Headers requestHeaders;

  @Setup
  public void setup() {
    okTrailers = StatusCodec.encodeTrailers(Status.OK, empty, false);
    errorTrailers = StatusCodec.encodeTrailers(error, empty, false);
    requestHeaders = new DefaultHttp2Headers()
        .method("POST").scheme("http").path("/grpc.testing.BenchmarkService/UnaryCall").authority("localhost:50051")
        .add("content-type", "application/grpc").add("te", "trailers").add("user-agent", "grpc-java-netty/1.79.0");
    AsciiString[] fields = MetadataCodec.fields(0, metadata);
    for (int i = 0; i < fields.length; i += 2) {
      requestHeaders.add(fields[i], fields[i + 1]);
    }
  }

  @Benchmark
  public Http2Headers encodeOkTrailers() {
    return StatusCodec.encodeTrailers(Status.OK, empty, false);
  }

  @Benchmark
  public Http2Headers encodeErrorTrailers() {
    return StatusCodec.encodeTrailers(error, empty, false);
  }

  @Benchmark
  public Status decodeOkTrailers() {
    return StatusCodec.decodeStatus(okTrailers);
  }

  @Benchmark
  public Status decodeErrorTrailers() {
    return StatusCodec.decodeStatus(errorTrailers);
  }

  @Benchmark
  public AsciiString[] encodeMetadata() {
    return MetadataCodec.fields(0, metadata);
  }

  @Benchmark
  public Metadata decodeRequestMetadata() {
    return MetadataCodec.fromHeaders(requestHeaders);
  }
}
