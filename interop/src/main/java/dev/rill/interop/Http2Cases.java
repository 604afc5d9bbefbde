package dev.rill.interop;

import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.client.ClientChannel;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.TestServiceRill;
import io.grpc.testing.integration.TestServiceRill.TestServiceBlockingStub;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The client side of grpc/grpc {@code doc/negative-http2-interop-test-descriptions.md}, run against
 * {@link Http2TestServer}: every call is a UnaryCall for 314159 bytes with 271828 bytes of zeros.
 * The reset cases must fail; goaway, ping and max_streams must succeed with the full response.
 */
final class Http2Cases {
  static final Set<String> NAMES = Http2TestServer.CASES;

  private static final int REQUEST_SIZE = 271828;
  private static final int RESPONSE_SIZE = 314159;

  private Http2Cases() {}

  static void run(ClientSettings settings) {
    String name = settings.testCase;
    ClientChannel channel = settings.newChannel();
    try {
      TestServiceBlockingStub stub = TestServiceRill.newBlockingStub(channel);
      SimpleRequest request = TestCases.largeRequest(REQUEST_SIZE, RESPONSE_SIZE);
      switch (name) {
        case "rst_after_header":
        case "rst_during_data":
        case "rst_after_data":
          try {
            stub.unaryCall(request);
          } catch (StatusException expected) {
            return;
          }
          throw new AssertionError(name + ": the call succeeded although the server reset the stream");
        case "goaway":
          for (int i = 0; i < 2; i++) {
            checked(stub, request, name + ": call " + (i + 1));
          }
          return;
        case "ping":
          checked(stub, request, name);
          return;
        case "max_streams":
          checked(stub, request, name + ": initial call");
          List<CompletableFuture<SimpleResponse>> calls = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            calls.add(TestServiceRill.newStub(channel).unaryCall(request));
          }
          for (int i = 0; i < calls.size(); i++) {
            TestCases.checkPayload(await(calls.get(i), name + ": concurrent call " + i).getPayload().getBody(),
                RESPONSE_SIZE, name + ": concurrent call " + i);
          }
          return;
        default:
          throw new IllegalArgumentException("unknown test case '" + name + "'");
      }
    } finally {
      channel.shutdownNow();
      try {
        channel.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void checked(TestServiceBlockingStub stub, SimpleRequest request, String check) {
    SimpleResponse response;
    try {
      response = stub.unaryCall(request);
    } catch (StatusException e) {
      throw new AssertionError(check + ": call failed: " + e.status());
    }
    TestCases.checkPayload(response.getPayload().getBody(), RESPONSE_SIZE, check);
  }

  private static <T> T await(CompletableFuture<T> f, String check) {
    try {
      return f.get(StreamRecorder.TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(check + ": call failed: " + Status.fromThrowable(e.getCause()));
    } catch (TimeoutException e) {
      throw new AssertionError(check + ": no answer within " + StreamRecorder.TIMEOUT_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(check + ": interrupted");
    }
  }
}
