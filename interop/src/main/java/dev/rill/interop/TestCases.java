package dev.rill.interop;

import com.google.protobuf.ByteString;
import dev.rill.Metadata;
import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.StreamObserver;
import dev.rill.client.ClientCallStreamObserver;
import dev.rill.client.ClientChannel;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.BoolValue;
import io.grpc.testing.integration.Messages.EchoStatus;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceRill;
import io.grpc.testing.integration.TestServiceRill.TestServiceBlockingStub;
import io.grpc.testing.integration.TestServiceRill.TestServiceStub;
import io.grpc.testing.integration.UnimplementedServiceRill;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The client side of the interop cases, each as grpc/grpc {@code doc/interop-test-descriptions.md}
 * describes it: the same requests, and a check for every assertion the description makes. Each case
 * runs on its own channel.
 */
final class TestCases {
  static final Set<String> NAMES = new LinkedHashSet<>(List.of(
      "empty_unary", "large_unary", "client_compressed_unary", "client_compressed_unary_noprobe",
      "server_compressed_unary", "client_streaming", "client_compressed_streaming",
      "client_compressed_streaming_noprobe", "server_streaming", "server_compressed_streaming", "ping_pong",
      "empty_stream", "custom_metadata", "status_code_and_message", "special_status_message",
      "unimplemented_method", "unimplemented_service", "cancel_after_begin", "cancel_after_first_response",
      "timeout_on_sleeping_server", "very_large_request", "rpc_soak", "channel_soak"));

  private static final List<Integer> REQUEST_SIZES = List.of(27182, 8, 1828, 45904);
  private static final List<Integer> RESPONSE_SIZES = List.of(31415, 9, 2653, 58979);
  private static final int LARGE_REQUEST = 271828;
  private static final int LARGE_RESPONSE = 314159;
  private static final String STATUS_MESSAGE = "test status message";
  private static final String SPECIAL_MESSAGE =
      "\t\ntest with whitespace\r\nand Unicode BMP \u263A and non-BMP \uD83D\uDE08\t\n";

  private final ClientSettings settings;
  private final ClientChannel channel;
  private final TestServiceBlockingStub blocking;
  private final TestServiceStub async;

  private TestCases(ClientSettings settings, ClientChannel channel) {
    this.settings = settings;
    this.channel = channel;
    this.blocking = TestServiceRill.newBlockingStub(channel);
    this.async = TestServiceRill.newStub(channel);
  }

  static void run(ClientSettings settings) {
    ClientChannel channel = settings.newChannel();
    try {
      new TestCases(settings, channel).dispatch(settings.testCase);
    } finally {
      channel.shutdownNow();
    }
  }

  private void dispatch(String name) {
    switch (name) {
      case "empty_unary": emptyUnary(); break;
      case "large_unary": largeUnary(); break;
      case "client_compressed_unary": clientCompressedUnary(true); break;
      case "client_compressed_unary_noprobe": clientCompressedUnary(false); break;
      case "server_compressed_unary": serverCompressedUnary(); break;
      case "client_streaming": clientStreaming(); break;
      case "client_compressed_streaming": clientCompressedStreaming(true); break;
      case "client_compressed_streaming_noprobe": clientCompressedStreaming(false); break;
      case "server_streaming": serverStreaming(false); break;
      case "server_compressed_streaming": serverStreaming(true); break;
      case "ping_pong": pingPong(); break;
      case "empty_stream": emptyStream(); break;
      case "custom_metadata": customMetadata(); break;
      case "status_code_and_message": statusCodeAndMessage(STATUS_MESSAGE); break;
      case "special_status_message": statusCodeAndMessage(SPECIAL_MESSAGE); break;
      case "unimplemented_method": unimplementedMethod(); break;
      case "unimplemented_service": unimplementedService(); break;
      case "cancel_after_begin": cancelAfterBegin(); break;
      case "cancel_after_first_response": cancelAfterFirstResponse(); break;
      case "timeout_on_sleeping_server": timeoutOnSleepingServer(); break;
      case "very_large_request": veryLargeRequest(); break;
      case "rpc_soak": new SoakCase(settings, false).run(); break;
      case "channel_soak": new SoakCase(settings, true).run(); break;
      default: throw new IllegalArgumentException("unknown test case '" + name + "'");
    }
  }

  private void emptyUnary() {
    Empty response = blocking.emptyCall(Empty.getDefaultInstance());
    Check.equal(Empty.getDefaultInstance(), response, "empty_unary: response is an empty message");
  }

  static SimpleRequest largeRequest(int requestSize, int responseSize) {
    return SimpleRequest.newBuilder()
        .setResponseSize(responseSize)
        .setPayload(InteropService.zeros(requestSize))
        .build();
  }

  /** The response must carry exactly {@code size} zero bytes. */
  static void checkPayload(ByteString body, int size, String check) {
    Check.equal(size, body.size(), check + ": response payload size");
    Check.isTrue(body.equals(ByteString.copyFrom(new byte[size])), check + ": response payload is all zeros");
  }

  private void largeUnary() {
    SimpleResponse response = blocking.unaryCall(largeRequest(LARGE_REQUEST, LARGE_RESPONSE));
    checkPayload(response.getPayload().getBody(), LARGE_RESPONSE, "large_unary");
  }

  private void clientCompressedUnary(boolean probe) {
    SimpleRequest expectCompressed = largeRequest(LARGE_REQUEST, LARGE_RESPONSE).toBuilder()
        .setExpectCompressed(BoolValue.newBuilder().setValue(true)).build();
    SimpleRequest expectUncompressed = largeRequest(LARGE_REQUEST, LARGE_RESPONSE).toBuilder()
        .setExpectCompressed(BoolValue.newBuilder().setValue(false)).build();
    if (probe) {
      Check.fails(Status.Code.INVALID_ARGUMENT,
          "client_compressed_unary probe: an uncompressed request marked expect_compressed is rejected",
          () -> blocking.unaryCall(expectCompressed));
    }
    SimpleResponse compressed = blocking.withCompression("gzip").unaryCall(expectCompressed);
    checkPayload(compressed.getPayload().getBody(), LARGE_RESPONSE, "client_compressed_unary (compressed request)");
    SimpleResponse plain = blocking.unaryCall(expectUncompressed);
    checkPayload(plain.getPayload().getBody(), LARGE_RESPONSE, "client_compressed_unary (uncompressed request)");
  }

  private void serverCompressedUnary() {
    for (boolean compressed : new boolean[] {true, false}) {
      SimpleRequest request = largeRequest(LARGE_REQUEST, LARGE_RESPONSE).toBuilder()
          .setResponseCompressed(BoolValue.newBuilder().setValue(compressed)).build();
      SimpleResponse response = blocking.unaryCall(request);
      checkPayload(response.getPayload().getBody(), LARGE_RESPONSE,
          "server_compressed_unary (response_compressed=" + compressed + ")");
    }
  }

  private static StreamingInputCallRequest inputRequest(int size) {
    return StreamingInputCallRequest.newBuilder().setPayload(InteropService.zeros(size)).build();
  }

  private void clientStreaming() {
    StreamRecorder<StreamingInputCallResponse> responses = new StreamRecorder<>();
    StreamObserver<StreamingInputCallRequest> requests = async.streamingInputCall(responses);
    for (int size : REQUEST_SIZES) {
      requests.onNext(inputRequest(size));
    }
    requests.onCompleted();
    responses.awaitSuccess("client_streaming");
    Check.equal(1, responses.values().size(), "client_streaming: one response");
    Check.equal(74922, responses.values().get(0).getAggregatedPayloadSize(),
        "client_streaming: aggregated_payload_size");
  }

  private void clientCompressedStreaming(boolean probe) {
    StreamingInputCallRequest expectCompressed = inputRequest(27182).toBuilder()
        .setExpectCompressed(BoolValue.newBuilder().setValue(true)).build();
    StreamingInputCallRequest expectUncompressed = inputRequest(45904).toBuilder()
        .setExpectCompressed(BoolValue.newBuilder().setValue(false)).build();
    if (probe) {
      StreamRecorder<StreamingInputCallResponse> rejected = new StreamRecorder<>();
      StreamObserver<StreamingInputCallRequest> requests = async.streamingInputCall(rejected);
      requests.onNext(expectCompressed);
      try {
        rejected.awaitFailure(Status.Code.INVALID_ARGUMENT,
            "client_compressed_streaming probe: an uncompressed request marked expect_compressed is rejected");
      } finally {
        requests.onError(Status.CANCELLED.withDescription("probe over").asException()); // no-op once ended
      }
    }
    StreamRecorder<StreamingInputCallResponse> responses = new StreamRecorder<>();
    ClientCallStreamObserver<StreamingInputCallRequest> requests =
        (ClientCallStreamObserver<StreamingInputCallRequest>) async.withCompression("gzip").streamingInputCall(responses);
    requests.setMessageCompression(true);
    requests.onNext(expectCompressed);
    requests.setMessageCompression(false);
    requests.onNext(expectUncompressed);
    requests.onCompleted();
    responses.awaitSuccess("client_compressed_streaming");
    Check.equal(73086, responses.values().get(0).getAggregatedPayloadSize(),
        "client_compressed_streaming: aggregated_payload_size");
  }

  private void serverStreaming(boolean compressed) {
    String name = compressed ? "server_compressed_streaming" : "server_streaming";
    List<Integer> sizes = compressed ? List.of(31415, 92653) : RESPONSE_SIZES;
    StreamingOutputCallRequest.Builder request = StreamingOutputCallRequest.newBuilder();
    for (int i = 0; i < sizes.size(); i++) {
      ResponseParameters.Builder p = ResponseParameters.newBuilder().setSize(sizes.get(i));
      if (compressed) {
        p.setCompressed(BoolValue.newBuilder().setValue(i == 0));
      }
      request.addResponseParameters(p);
    }
    StreamRecorder<StreamingOutputCallResponse> responses = new StreamRecorder<>();
    async.streamingOutputCall(request.build(), responses);
    responses.awaitSuccess(name);
    Check.equal(sizes.size(), responses.values().size(), name + ": number of responses");
    for (int i = 0; i < sizes.size(); i++) {
      checkPayload(responses.values().get(i).getPayload().getBody(), sizes.get(i), name + ": response " + i);
    }
  }

  private static StreamingOutputCallRequest pingRequest(int requestSize, int responseSize) {
    return StreamingOutputCallRequest.newBuilder()
        .addResponseParameters(ResponseParameters.newBuilder().setSize(responseSize))
        .setPayload(InteropService.zeros(requestSize))
        .build();
  }

  private void pingPong() {
    ResponseQueue<StreamingOutputCallResponse> responses = new ResponseQueue<>();
    StreamObserver<StreamingOutputCallRequest> requests = async.fullDuplexCall(responses);
    for (int i = 0; i < REQUEST_SIZES.size(); i++) {
      requests.onNext(pingRequest(REQUEST_SIZES.get(i), RESPONSE_SIZES.get(i)));
      StreamingOutputCallResponse response = responses.next("ping_pong: response " + i);
      checkPayload(response.getPayload().getBody(), RESPONSE_SIZES.get(i), "ping_pong: response " + i);
    }
    requests.onCompleted();
    responses.awaitCompletion("ping_pong");
  }

  private void emptyStream() {
    StreamRecorder<StreamingOutputCallResponse> responses = new StreamRecorder<>();
    StreamObserver<StreamingOutputCallRequest> requests = async.fullDuplexCall(responses);
    requests.onCompleted();
    responses.awaitSuccess("empty_stream");
    Check.equal(0, responses.values().size(), "empty_stream: no responses");
  }

  private void customMetadata() {
    String initialValue = "test_initial_metadata_value";
    byte[] trailingValue = {(byte) 0xab, (byte) 0xab, (byte) 0xab};
    Metadata sent = new Metadata()
        .put(EchoMetadataInterceptor.INITIAL, initialValue)
        .putBinary(EchoMetadataInterceptor.TRAILING, trailingValue);

    CaptureMetadata unary = new CaptureMetadata();
    SimpleResponse response = blocking.withMetadata(sent).withInterceptors(unary)
        .unaryCall(largeRequest(LARGE_REQUEST, LARGE_RESPONSE));
    checkPayload(response.getPayload().getBody(), LARGE_RESPONSE, "custom_metadata (unary)");
    checkEchoes(unary, initialValue, trailingValue, "custom_metadata (unary)");

    CaptureMetadata duplex = new CaptureMetadata();
    StreamRecorder<StreamingOutputCallResponse> responses = new StreamRecorder<>();
    StreamObserver<StreamingOutputCallRequest> requests =
        async.withMetadata(sent).withInterceptors(duplex).fullDuplexCall(responses);
    requests.onNext(pingRequest(LARGE_REQUEST, LARGE_RESPONSE));
    requests.onCompleted();
    responses.awaitSuccess("custom_metadata (full duplex)");
    checkPayload(responses.values().get(0).getPayload().getBody(), LARGE_RESPONSE, "custom_metadata (full duplex)");
    checkEchoes(duplex, initialValue, trailingValue, "custom_metadata (full duplex)");
  }

  private static void checkEchoes(CaptureMetadata captured, String initial, byte[] trailing, String check) {
    Metadata headers = captured.headers.get();
    Check.isTrue(headers != null, check + ": response headers received");
    Check.equal(initial, headers.get(EchoMetadataInterceptor.INITIAL), check + ": x-grpc-test-echo-initial echoed");
    Metadata trailers = captured.trailers.get();
    Check.isTrue(trailers != null, check + ": trailers received");
    byte[] echoed = trailers.getBinary(EchoMetadataInterceptor.TRAILING);
    Check.isTrue(Arrays.equals(trailing, echoed),
        check + ": x-grpc-test-echo-trailing-bin echoed byte for byte (got " + Arrays.toString(echoed) + ")");
  }

  private void statusCodeAndMessage(String message) {
    String name = message.equals(STATUS_MESSAGE) ? "status_code_and_message" : "special_status_message";
    EchoStatus echo = EchoStatus.newBuilder().setCode(Status.Code.UNKNOWN.value()).setMessage(message).build();
    StatusException e = Check.fails(Status.Code.UNKNOWN, name + " (unary): echoed status code",
        () -> blocking.unaryCall(SimpleRequest.newBuilder().setResponseStatus(echo).build()));
    Check.equal(message, e.status().description(), name + " (unary): echoed status message");
    if (!message.equals(STATUS_MESSAGE)) {
      return; // special_status_message is defined for UnaryCall only
    }
    StreamRecorder<StreamingOutputCallResponse> responses = new StreamRecorder<>();
    StreamObserver<StreamingOutputCallRequest> requests = async.fullDuplexCall(responses);
    requests.onNext(StreamingOutputCallRequest.newBuilder().setResponseStatus(echo).build());
    requests.onCompleted();
    Status s = responses.awaitFailure(Status.Code.UNKNOWN, name + " (full duplex): echoed status code");
    Check.equal(message, s.description(), name + " (full duplex): echoed status message");
  }

  private void unimplementedMethod() {
    Check.fails(Status.Code.UNIMPLEMENTED, "unimplemented_method: TestService/UnimplementedCall",
        () -> blocking.unimplementedCall(Empty.getDefaultInstance()));
  }

  private void unimplementedService() {
    Check.fails(Status.Code.UNIMPLEMENTED, "unimplemented_service: UnimplementedService/UnimplementedCall",
        () -> UnimplementedServiceRill.newBlockingStub(channel).unimplementedCall(Empty.getDefaultInstance()));
  }

  private void cancelAfterBegin() {
    StreamRecorder<StreamingInputCallResponse> responses = new StreamRecorder<>();
    ClientCallStreamObserver<StreamingInputCallRequest> requests =
        (ClientCallStreamObserver<StreamingInputCallRequest>) async.streamingInputCall(responses);
    requests.cancel("cancel_after_begin", null);
    responses.awaitFailure(Status.Code.CANCELLED, "cancel_after_begin: the call ends CANCELLED");
  }

  private void cancelAfterFirstResponse() {
    ResponseQueue<StreamingOutputCallResponse> responses = new ResponseQueue<>();
    ClientCallStreamObserver<StreamingOutputCallRequest> requests =
        (ClientCallStreamObserver<StreamingOutputCallRequest>) async.fullDuplexCall(responses);
    requests.onNext(pingRequest(27182, 31415));
    StreamingOutputCallResponse first = responses.next("cancel_after_first_response: first response");
    checkPayload(first.getPayload().getBody(), 31415, "cancel_after_first_response");
    requests.cancel("cancel_after_first_response", null);
    Status s = responses.awaitEnd("cancel_after_first_response");
    Check.isTrue(s != null, "cancel_after_first_response: the call ends CANCELLED, not OK");
    Check.equal(Status.Code.CANCELLED, s.code(), "cancel_after_first_response: the call ends CANCELLED");
  }

  private void timeoutOnSleepingServer() {
    StreamRecorder<StreamingOutputCallResponse> responses = new StreamRecorder<>();
    StreamObserver<StreamingOutputCallRequest> requests =
        async.withDeadlineAfter(1, TimeUnit.MILLISECONDS).fullDuplexCall(responses);
    try {
      requests.onNext(StreamingOutputCallRequest.newBuilder().setPayload(InteropService.zeros(27182)).build());
    } catch (RuntimeException e) {
      // The description allows this: the deadline may already have ended the call.
    }
    responses.awaitFailure(Status.Code.DEADLINE_EXCEEDED, "timeout_on_sleeping_server: the call ends DEADLINE_EXCEEDED");
  }

  private void veryLargeRequest() {
    SimpleResponse response = blocking.unaryCall(largeRequest(10 * 1024 * 1024, 10));
    checkPayload(response.getPayload().getBody(), 10, "very_large_request");
  }
}
