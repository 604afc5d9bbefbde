package dev.rill.interop;

import com.google.protobuf.StringValue;
import dev.rill.Metadata;
import dev.rill.MethodDescriptor;
import dev.rill.MethodType;
import dev.rill.ProtoMarshaller;
import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.StreamObserver;
import dev.rill.client.CallOptions;
import dev.rill.client.ClientCalls;
import dev.rill.client.ClientChannel;
import dev.rill.server.Server;
import dev.rill.server.ServerCalls;
import dev.rill.server.ServiceDefinition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Rill server and a Rill client on loopback doing all four RPC kinds, a metadata round trip, an
 * error status and a deadline, each checked and printed. Exits non-zero if any check fails.
 */
public final class LoopbackDemo {
  private static final String SERVICE = "rill.demo.Echo";

  private static MethodDescriptor<StringValue, StringValue> method(String name, MethodType type) {
    return MethodDescriptor.<StringValue, StringValue>builder()
        .fullMethodName(SERVICE + "/" + name)
        .type(type)
        .requestMarshaller(ProtoMarshaller.of(StringValue.getDefaultInstance()))
        .responseMarshaller(ProtoMarshaller.of(StringValue.getDefaultInstance()))
        .build();
  }

  private static final MethodDescriptor<StringValue, StringValue> UNARY = method("Unary", MethodType.UNARY);
  private static final MethodDescriptor<StringValue, StringValue> SPLIT = method("Split", MethodType.SERVER_STREAMING);
  private static final MethodDescriptor<StringValue, StringValue> JOIN = method("Join", MethodType.CLIENT_STREAMING);
  private static final MethodDescriptor<StringValue, StringValue> SHOUT = method("Shout", MethodType.BIDI_STREAMING);
  private static final MethodDescriptor<StringValue, StringValue> FAIL = method("Fail", MethodType.UNARY);
  private static final MethodDescriptor<StringValue, StringValue> SLOW = method("Slow", MethodType.UNARY);

  private int passed;
  private int failed;

  public static void main(String[] args) throws Exception {
    System.exit(new LoopbackDemo().run() ? 0 : 1);
  }

  private static StringValue s(String v) {
    return StringValue.of(v);
  }

  private static ServiceDefinition service() {
    return ServiceDefinition.builder(SERVICE)
        .addMethod(UNARY, ServerCalls.unaryCall((req, out) -> {
          out.onNext(s("hello, " + req.getValue()));
          out.onCompleted();
        }))
        .addMethod(SPLIT, ServerCalls.serverStreamingCall((req, out) -> {
          for (String part : req.getValue().split(" ")) {
            out.onNext(s(part));
          }
          out.onCompleted();
        }))
        .addMethod(JOIN, ServerCalls.clientStreamingCall(out -> new StreamObserver<StringValue>() {
          private final StringBuilder joined = new StringBuilder();

          @Override
          public void onNext(StringValue value) {
            joined.append(joined.length() == 0 ? "" : "+").append(value.getValue());
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {
            out.onNext(s(joined.toString()));
            out.onCompleted();
          }
        }))
        .addMethod(SHOUT, ServerCalls.bidiStreamingCall(out -> new StreamObserver<StringValue>() {
          @Override
          public void onNext(StringValue value) {
            out.onNext(s(value.getValue().toUpperCase()));
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {
            out.onCompleted();
          }
        }))
        .addMethod(FAIL, ServerCalls.unaryCall((req, out) -> {
          Metadata trailers = new Metadata().put("x-reason", "demo");
          out.onError(Status.NOT_FOUND.withDescription("no such thing: " + req.getValue() + " ✗").asException(trailers));
        }))
        .addMethod(SLOW, ServerCalls.unaryCall((req, out) -> { /* never answers: the deadline fires */ }))
        .build();
  }

  private boolean run() throws Exception {
    Server server = Server.builder().port(0).addService(service()).build().start();
    ClientChannel channel = ClientChannel.forAddress("127.0.0.1", server.port()).build();
    System.out.println("Rill loopback demo: server on 127.0.0.1:" + server.port());
    try {
      StringValue reply = ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, s("rill"));
      check("unary", "hello, rill", reply.getValue());

      Iterator<StringValue> parts = ClientCalls.blockingServerStreamingCall(
          channel, SPLIT, CallOptions.DEFAULT, s("one two three"));
      List<String> got = new ArrayList<>();
      parts.forEachRemaining(v -> got.add(v.getValue()));
      check("server streaming", "[one, two, three]", got.toString());

      CompletableFuture<String> joined = new CompletableFuture<>();
      StreamObserver<StringValue> requests = ClientCalls.asyncClientStreamingCall(
          channel, JOIN, CallOptions.DEFAULT, collector(joined));
      for (String w : new String[] {"a", "b", "c"}) {
        requests.onNext(s(w));
      }
      requests.onCompleted();
      check("client streaming", "a+b+c", joined.get(10, TimeUnit.SECONDS));

      CompletableFuture<String> shouted = new CompletableFuture<>();
      StreamObserver<StringValue> bidi = ClientCalls.asyncBidiStreamingCall(
          channel, SHOUT, CallOptions.DEFAULT.withCompression("gzip"), collector(shouted));
      bidi.onNext(s("ping"));
      bidi.onNext(s("pong"));
      bidi.onCompleted();
      check("bidi streaming (gzip)", "PING,PONG", shouted.get(10, TimeUnit.SECONDS));

      try {
        ClientCalls.blockingUnaryCall(channel, FAIL, CallOptions.DEFAULT, s("x"));
        check("error status", "NOT_FOUND", "OK");
      } catch (StatusException e) {
        check("error status", "NOT_FOUND: no such thing: x ✗ / x-reason=demo",
            e.status().code() + ": " + e.status().description() + " / x-reason=" + e.trailers().get("x-reason"));
      }

      try {
        ClientCalls.blockingUnaryCall(channel, SLOW, CallOptions.DEFAULT.withDeadlineAfter(200, TimeUnit.MILLISECONDS), s("x"));
        check("deadline", "DEADLINE_EXCEEDED", "OK");
      } catch (StatusException e) {
        check("deadline", "DEADLINE_EXCEEDED", e.status().code().name());
      }
    } finally {
      channel.shutdownNow();
      server.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
    System.out.println();
    System.out.println("The grpc-java interop matrix (issue 4) is not built yet: this run covers Rill <-> Rill only.");
    System.out.println(passed + " passed, " + failed + " failed");
    return failed == 0;
  }

  /** Joins every response with commas into {@code result}. */
  private static StreamObserver<StringValue> collector(CompletableFuture<String> result) {
    return new StreamObserver<>() {
      private final List<String> values = new ArrayList<>();

      @Override
      public void onNext(StringValue value) {
        values.add(value.getValue());
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        result.complete(String.join(",", values));
      }
    };
  }

  private void check(String what, String expected, String actual) {
    boolean ok = expected.equals(actual);
    if (ok) {
      passed++;
    } else {
      failed++;
    }
    System.out.printf("  %-24s %s  %s%n", what, ok ? "PASS" : "FAIL", ok ? actual : "expected '" + expected + "', got '" + actual + "'");
  }
}
