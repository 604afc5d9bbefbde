package dev.rill.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.Marshaller;
import dev.rill.MethodDescriptor;
import dev.rill.MethodType;
import dev.rill.Status;
import dev.rill.StreamObserver;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Services, methods and server set-up shared by the wire tests. */
final class WireFixtures {
  /** UTF-8 strings as messages. */
  static final Marshaller<String> UTF8 = new Marshaller<>() {
    @Override
    public void write(String message, ByteBuf out) {
      out.writeCharSequence(message, StandardCharsets.UTF_8);
    }

    @Override
    public String parse(ByteBuf in) {
      return in.toString(StandardCharsets.UTF_8);
    }
  };

  /** Answers with the request, unchanged. */
  static final MethodDescriptor<String, String> UNARY = method("test.Echo/Unary", MethodType.UNARY);
  /** Answers with the requests joined by '|'. */
  static final MethodDescriptor<String, String> COLLECT = method("test.Echo/Collect", MethodType.CLIENT_STREAMING);
  /** Fails at once with NOT_FOUND, the request as the status description. */
  static final MethodDescriptor<String, String> FAIL = method("test.Echo/Fail", MethodType.UNARY);
  /** Handled by a {@link CallProbe}: the test drives each call. */
  static final MethodDescriptor<String, String> HOLD = method("test.Raw/Hold", MethodType.BIDI_STREAMING);

  static final String UNARY_PATH = "/test.Echo/Unary";
  static final String COLLECT_PATH = "/test.Echo/Collect";
  static final String FAIL_PATH = "/test.Echo/Fail";
  static final String HOLD_PATH = "/test.Raw/Hold";

  private WireFixtures() {}

  private static MethodDescriptor<String, String> method(String name, MethodType type) {
    return MethodDescriptor.<String, String>builder().fullMethodName(name).type(type)
        .requestMarshaller(UTF8).responseMarshaller(UTF8).build();
  }

  /** A server on loopback with the echo service and {@code probe} behind {@link #HOLD}; not started. */
  static Server.Builder server(CallProbe probe) {
    return Server.builder()
        .address(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServiceDefinition.builder("test.Echo")
            .addMethod(UNARY, ServerCalls.unaryCall((req, out) -> {
              out.onNext(req);
              out.onCompleted();
            }))
            .addMethod(COLLECT, ServerCalls.clientStreamingCall(out -> {
              List<String> all = new ArrayList<>();
              return new StreamObserver<String>() {
                @Override
                public void onNext(String value) {
                  all.add(value);
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {
                  out.onNext(String.join("|", all));
                  out.onCompleted();
                }
              };
            }))
            .addMethod(FAIL, ServerCalls.unaryCall(
                (req, out) -> out.onError(Status.NOT_FOUND.withDescription(req).asException())))
            .build())
        .addService(ServiceDefinition.builder("test.Raw").addMethod(HOLD, probe).build());
  }

  /** Stops {@code server} at once and waits for it. */
  static void stop(Server server) throws InterruptedException {
    if (server != null) {
      server.shutdownNow();
      assertTrue(server.awaitTermination(RawHttp2Client.TIMEOUT_SECONDS, TimeUnit.SECONDS), "server terminated");
    }
  }
}
