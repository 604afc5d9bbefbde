package dev.rill.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.StringValue;
import dev.rill.Codec;
import dev.rill.Metadata;
import dev.rill.MethodDescriptor;
import dev.rill.MethodType;
import dev.rill.ProtoMarshaller;
import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.StreamObserver;
import io.grpc.Context;
import io.grpc.DecompressorRegistry;
import io.grpc.ForwardingServerCall;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A Rill client calling a grpc-java 1.79 server (shaded Netty), built by hand, over loopback. */
class GrpcJavaServerTest {
  private static final String SERVICE = "rill.interop.Echo";
  private static final byte[] BLOB = {0, 1, 2, (byte) 0x7f, (byte) 0x80, (byte) 0xfe, (byte) 0xff, '\r', '\n'};
  private static final String UGLY_MESSAGE = "bad request: ünïcödé ☃ 🚀 100% done\r\nsecond line\ttab";

  private static final MethodDescriptor<StringValue, StringValue> UNARY = rill("Unary", MethodType.UNARY);
  private static final MethodDescriptor<StringValue, StringValue> SPLIT = rill("Split", MethodType.SERVER_STREAMING);
  private static final MethodDescriptor<StringValue, StringValue> JOIN = rill("Join", MethodType.CLIENT_STREAMING);
  private static final MethodDescriptor<StringValue, StringValue> ECHO = rill("Echo", MethodType.BIDI_STREAMING);
  private static final MethodDescriptor<BytesValue, BytesValue> BYTES = MethodDescriptor.<BytesValue, BytesValue>builder()
      .fullMethodName(SERVICE + "/Bytes").type(MethodType.UNARY)
      .requestMarshaller(ProtoMarshaller.of(BytesValue.getDefaultInstance()))
      .responseMarshaller(ProtoMarshaller.of(BytesValue.getDefaultInstance())).build();

  private static final io.grpc.Metadata.Key<String> X_TOKEN = asciiKey("x-token");
  private static final io.grpc.Metadata.Key<String> X_MULTI = asciiKey("x-multi");
  private static final io.grpc.Metadata.Key<byte[]> X_BLOB_BIN = binKey("x-blob-bin");

  private final AtomicReference<io.grpc.Metadata> receivedHeaders = new AtomicReference<>();
  private final CountDownLatch handlerStarted = new CountDownLatch(1);
  private final CountDownLatch handlerCancelled = new CountDownLatch(1);
  private final AtomicReference<io.grpc.Deadline> handlerDeadline = new AtomicReference<>();
  private final AtomicInteger serverDecompressions = new AtomicInteger();
  private final AtomicInteger clientDecompressions = new AtomicInteger();
  private final AtomicReference<Metadata> responseHeaders = new AtomicReference<>();
  private final AtomicReference<Metadata> responseTrailers = new AtomicReference<>();
  private io.grpc.Server server;
  private ClientChannel channel;
  private Pem certificate;

  @AfterEach
  void tearDown() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.shutdownNow();
    }
    assertTrue(channel == null || channel.awaitTermination(10, TimeUnit.SECONDS), "Rill channel terminated");
    assertTrue(server == null || server.awaitTermination(10, TimeUnit.SECONDS), "grpc-java server terminated");
  }

  @Test
  void aUnaryCallGetsItsResponse() throws Exception {
    start(false);
    assertEquals("echo:hello", ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, str("hello"))
        .getValue());
    assertEquals("echo:", ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, str("")).getValue(),
        "an empty (zero-byte) message works both ways");
  }

  @Test
  void aServerStreamDeliversEveryResponseInOrder() throws Exception {
    start(false);
    Iterator<StringValue> it = ClientCalls.blockingServerStreamingCall(channel, SPLIT, CallOptions.DEFAULT,
        str("a,b,c,d"));
    List<String> got = new ArrayList<>();
    it.forEachRemaining(v -> got.add(v.getValue()));
    assertEquals(List.of("a", "b", "c", "d"), got);
  }

  @Test
  void aServerStreamThatFailsMidwayDeliversItsMessagesThenTheStatus() throws Exception {
    start(false);
    Iterator<StringValue> it = ClientCalls.blockingServerStreamingCall(channel, SPLIT, CallOptions.DEFAULT,
        str("a,b,!"));
    assertEquals("a", it.next().getValue());
    assertEquals("b", it.next().getValue());
    StatusException e = assertThrows(StatusException.class, it::hasNext);
    assertEquals(Status.Code.ABORTED, e.status().code());
    assertEquals(UGLY_MESSAGE, e.status().description());
  }

  @Test
  void aClientStreamIsFoldedIntoOneResponse() throws Exception {
    start(false);
    Recorder<StringValue> responses = new Recorder<>();
    StreamObserver<StringValue> requests = ClientCalls.asyncClientStreamingCall(channel, JOIN, CallOptions.DEFAULT,
        responses);
    for (String s : List.of("x", "y", "z")) {
      requests.onNext(str(s));
    }
    requests.onCompleted();
    assertEquals(List.of("x+y+z"), values(responses.done.get(10, TimeUnit.SECONDS)));
  }

  @Test
  void aBidiStreamAnswersEachMessageBeforeTheNextIsSent() throws Exception {
    start(false);
    Recorder<StringValue> responses = new Recorder<>();
    StreamObserver<StringValue> requests = ClientCalls.asyncBidiStreamingCall(channel, ECHO, CallOptions.DEFAULT,
        responses);
    for (int i = 0; i < 5; i++) {
      requests.onNext(str("ping " + i));
      StringValue reply = responses.queue.poll(10, TimeUnit.SECONDS);
      assertNotNull(reply, "reply " + i);
      assertEquals("pong ping " + i, reply.getValue());
    }
    requests.onCompleted();
    assertEquals(5, responses.done.get(10, TimeUnit.SECONDS).size());
  }

  @Test
  void aMessageOfSeveralMegabytesCrossesTheFlowControlWindowBothWays() throws Exception {
    start(false);
    byte[] big = new byte[3 * 1024 * 1024];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31 + (i >>> 9));
    }
    BytesValue reply = ClientCalls.blockingUnaryCall(channel, BYTES,
        CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS),
        BytesValue.newBuilder().setValue(ByteString.copyFrom(big)).build());
    byte[] got = reply.getValue().toByteArray();
    assertEquals(big.length, got.length);
    for (int i = 0; i < big.length; i++) {
      if (got[i] != (byte) ~big[i]) {
        throw new AssertionError("byte " + i + " differs");
      }
    }
  }

  @Test
  void customMetadataTravelsBothWaysInHeadersAndTrailers() throws Exception {
    start(false);
    Metadata sent = new Metadata().put("x-token", "abc 123").put("x-multi", "one").put("x-multi", "two")
        .putBinary("x-blob-bin", BLOB);

    assertEquals("echo:m", ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT.withHeaders(sent),
        str("m")).getValue());

    io.grpc.Metadata got = receivedHeaders.get();
    assertEquals("abc 123", got.get(X_TOKEN));
    assertEquals(List.of("one", "two"), toList(got.getAll(X_MULTI)));
    assertArrayEquals(BLOB, got.get(X_BLOB_BIN));
    assertEquals("yes", responseHeaders.get().get("x-resp"));
    assertArrayEquals(BLOB, responseHeaders.get().getBinary("x-resp-bin"));
    assertEquals("done", responseTrailers.get().get("x-trail"));
    assertArrayEquals(BLOB, responseTrailers.get().getBinary("x-trail-bin"));
  }

  @Test
  void aFailedCallCarriesItsCodeItsUnicodeMultiLineMessageAndItsTrailers() throws Exception {
    start(false);
    StatusException e = assertThrows(StatusException.class,
        () -> ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, str("fail")));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.status().code());
    assertEquals(UGLY_MESSAGE, e.status().description());
    assertEquals("why", e.trailers().get("x-error"));
    assertArrayEquals(BLOB, e.trailers().getBinary("x-error-bin"));
    assertEquals("done", e.trailers().get("x-trail"), "interceptor trailers join the error's");
  }

  @Test
  void anUnknownMethodAnswersUnimplemented() throws Exception {
    start(false);
    MethodDescriptor<StringValue, StringValue> missing = rill("Missing", MethodType.UNARY);
    StatusException e = assertThrows(StatusException.class,
        () -> ClientCalls.blockingUnaryCall(channel, missing, CallOptions.DEFAULT, str("?")));
    assertEquals(Status.Code.UNIMPLEMENTED, e.status().code());
  }

  @Test
  void anExpiredDeadlineFailsTheClientAndCancelsTheHandler() throws Exception {
    start(false);
    // Connect first, so that the deadline covers only the call: it must reach the handler in time.
    assertEquals("echo:warm-up", ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, str("warm-up"))
        .getValue());
    StatusException e = assertThrows(StatusException.class, () -> ClientCalls.blockingUnaryCall(channel, UNARY,
        CallOptions.DEFAULT.withDeadlineAfter(2, TimeUnit.SECONDS), str("hang")));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.status().code());
    assertTrue(handlerStarted.await(10, TimeUnit.SECONDS), "the call reached the handler");
    assertTrue(handlerCancelled.await(10, TimeUnit.SECONDS), "the grpc-java handler saw onCancel");
    assertNotNull(handlerDeadline.get(), "grpc-java read Rill's grpc-timeout as the call's deadline");
  }

  @Test
  void gzipCompressesRequestsAndResponsesBothWays() throws Exception {
    start(false);
    String text = "compress me ".repeat(200);
    StringValue reply = ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT.withCompression("gzip"),
        str("gzip:" + text));
    assertEquals("echo:gzip:" + text, reply.getValue());
    assertEquals(1, serverDecompressions.get(), "grpc-java inflated the gzip request");
    assertEquals(1, clientDecompressions.get(), "Rill inflated the gzip response");
  }

  @Test
  void aCallSucceedsOverTlsWithAlpnH2() throws Exception {
    certificate = selfSignedPem();
    start(true);
    assertEquals("echo:secret", ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, str("secret"))
        .getValue());
  }

  /** A PEM certificate chain and its PKCS#8 PEM private key. */
  private record Pem(byte[] chain, byte[] key) {
    java.io.ByteArrayInputStream chainStream() {
      return new java.io.ByteArrayInputStream(chain);
    }

    java.io.ByteArrayInputStream keyStream() {
      return new java.io.ByteArrayInputStream(key);
    }
  }

  /** A throwaway self-signed certificate for "localhost". */
  @SuppressWarnings("deprecation")
  private static Pem selfSignedPem() throws Exception {
    SelfSignedCertificate c = new SelfSignedCertificate("localhost");
    try {
      return new Pem(Files.readAllBytes(c.certificate().toPath()), Files.readAllBytes(c.privateKey().toPath()));
    } finally {
      c.delete();
    }
  }

  // ---- grpc-java service ----------------------------------------------------------------------

  private void start(boolean tls) throws Exception {
    ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
        .addMethod(grpc(UNARY), ServerCalls.asyncUnaryCall(this::unary))
        .addMethod(grpc(SPLIT), ServerCalls.asyncServerStreamingCall((req, obs) -> {
          for (String s : req.getValue().split(",")) {
            if (s.equals("!")) {
              obs.onError(io.grpc.Status.ABORTED.withDescription(UGLY_MESSAGE).asRuntimeException());
              return;
            }
            obs.onNext(str(s));
          }
          obs.onCompleted();
        }))
        .addMethod(grpc(JOIN), ServerCalls.asyncClientStreamingCall(
            (io.grpc.stub.StreamObserver<StringValue> obs) -> new io.grpc.stub.StreamObserver<StringValue>() {
          private final List<String> parts = new ArrayList<>();

          @Override
          public void onNext(StringValue value) {
            parts.add(value.getValue());
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {
            obs.onNext(str(String.join("+", parts)));
            obs.onCompleted();
          }
        }))
        .addMethod(grpc(ECHO), ServerCalls.asyncBidiStreamingCall(
            (io.grpc.stub.StreamObserver<StringValue> obs) -> new io.grpc.stub.StreamObserver<StringValue>() {
          @Override
          public void onNext(StringValue value) {
            obs.onNext(str("pong " + value.getValue()));
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {
            obs.onCompleted();
          }
        }))
        .addMethod(grpc(BYTES), ServerCalls.asyncUnaryCall((BytesValue req, io.grpc.stub.StreamObserver<BytesValue> obs) -> {
          byte[] b = req.getValue().toByteArray();
          for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ~b[i];
          }
          obs.onNext(BytesValue.newBuilder().setValue(ByteString.copyFrom(b)).build());
          obs.onCompleted();
        }))
        .build();
    NettyServerBuilder sb = NettyServerBuilder.forPort(0)
        .addService(ServerInterceptors.intercept(service, new MetadataInterceptor()))
        .decompressorRegistry(DecompressorRegistry.emptyInstance().with(new CountingGrpcGzip(serverDecompressions), true));
    if (tls) {
      sb.sslContext(GrpcSslContexts.forServer(certificate.chainStream(), certificate.keyStream()).build());
    }
    server = sb.build().start();

    ClientChannel.Builder cb = ClientChannel.forAddress("localhost", server.getPort())
        .codec(new CountingGzip(clientDecompressions))
        .intercept(this::captureResponseMetadata);
    if (tls) {
      cb.tls(ClientTls.builder().trustRoots(certificate.chain()).build());
    }
    channel = cb.build();
  }

  private void unary(StringValue req, io.grpc.stub.StreamObserver<StringValue> obs) {
    String v = req.getValue();
    ServerCallStreamObserver<StringValue> call = (ServerCallStreamObserver<StringValue>) obs;
    if (v.equals("fail")) {
      io.grpc.Metadata trailers = new io.grpc.Metadata();
      trailers.put(asciiKey("x-error"), "why");
      trailers.put(binKey("x-error-bin"), BLOB);
      obs.onError(io.grpc.Status.INVALID_ARGUMENT.withDescription(UGLY_MESSAGE).asRuntimeException(trailers));
      return;
    }
    if (v.equals("hang")) {
      handlerDeadline.set(Context.current().getDeadline());
      handlerStarted.countDown();
      call.setOnCancelHandler(handlerCancelled::countDown);
      return;
    }
    if (v.startsWith("gzip:")) {
      call.setCompression("gzip");
    }
    obs.onNext(str("echo:" + v));
    obs.onCompleted();
  }

  /** Records request headers, adds response headers and trailers. */
  private final class MetadataInterceptor implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
        io.grpc.Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      receivedHeaders.set(headers);
      return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
        @Override
        public void sendHeaders(io.grpc.Metadata h) {
          h.put(asciiKey("x-resp"), "yes");
          h.put(binKey("x-resp-bin"), BLOB);
          super.sendHeaders(h);
        }

        @Override
        public void close(io.grpc.Status status, io.grpc.Metadata trailers) {
          trailers.put(asciiKey("x-trail"), "done");
          trailers.put(binKey("x-trail-bin"), BLOB);
          super.close(status, trailers);
        }
      }, headers);
    }
  }

  /** Rill client interceptor: keeps the response headers and trailers of the last call. */
  private <ReqT, RespT> ClientCall<ReqT, RespT> captureResponseMetadata(MethodDescriptor<ReqT, RespT> method,
      CallOptions options, Channel next) {
    return new ForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<RespT> listener, Metadata headers) {
        super.start(new ForwardingClientCallListener<>(listener) {
          @Override
          public void onHeaders(Metadata h) {
            responseHeaders.set(h);
            super.onHeaders(h);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            responseTrailers.set(trailers);
            super.onClose(status, trailers);
          }
        }, headers);
      }
    };
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static MethodDescriptor<StringValue, StringValue> rill(String name, MethodType type) {
    return MethodDescriptor.<StringValue, StringValue>builder().fullMethodName(SERVICE + "/" + name).type(type)
        .requestMarshaller(ProtoMarshaller.of(StringValue.getDefaultInstance()))
        .responseMarshaller(ProtoMarshaller.of(StringValue.getDefaultInstance())).build();
  }

  /** The grpc-java twin of a Rill descriptor: same name and kind, grpc-java's protobuf marshallers. */
  @SuppressWarnings("unchecked")
  private static <ReqT extends com.google.protobuf.Message, RespT extends com.google.protobuf.Message>
      io.grpc.MethodDescriptor<ReqT, RespT> grpc(MethodDescriptor<ReqT, RespT> m) {
    ReqT req = ((ProtoMarshaller<ReqT>) m.requestMarshaller()).defaultInstance();
    RespT resp = ((ProtoMarshaller<RespT>) m.responseMarshaller()).defaultInstance();
    return io.grpc.MethodDescriptor.<ReqT, RespT>newBuilder()
        .setFullMethodName(m.fullMethodName())
        .setType(io.grpc.MethodDescriptor.MethodType.valueOf(m.type().name()))
        .setRequestMarshaller(ProtoUtils.marshaller(req))
        .setResponseMarshaller(ProtoUtils.marshaller(resp))
        .build();
  }

  private static StringValue str(String s) {
    return StringValue.of(s);
  }

  private static List<String> values(List<StringValue> list) {
    List<String> out = new ArrayList<>();
    list.forEach(v -> out.add(v.getValue()));
    return out;
  }

  private static <T> List<T> toList(Iterable<T> it) {
    List<T> out = new ArrayList<>();
    it.forEach(out::add);
    return out;
  }

  private static io.grpc.Metadata.Key<String> asciiKey(String name) {
    return io.grpc.Metadata.Key.of(name, io.grpc.Metadata.ASCII_STRING_MARSHALLER);
  }

  private static io.grpc.Metadata.Key<byte[]> binKey(String name) {
    return io.grpc.Metadata.Key.of(name, io.grpc.Metadata.BINARY_BYTE_MARSHALLER);
  }

  /** A Rill response observer that queues messages and completes with all of them. */
  private static final class Recorder<T> implements StreamObserver<T> {
    final LinkedBlockingQueue<T> queue = new LinkedBlockingQueue<>();
    final List<T> all = new ArrayList<>();
    final CompletableFuture<List<T>> done = new CompletableFuture<>();

    @Override
    public synchronized void onNext(T value) {
      all.add(value);
      queue.add(value);
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public synchronized void onCompleted() {
      done.complete(List.copyOf(all));
    }
  }

  /** Rill's gzip, counting the messages it inflates. */
  private static final class CountingGzip implements Codec {
    private final AtomicInteger count;

    CountingGzip(AtomicInteger count) {
      this.count = count;
    }

    @Override
    public String name() {
      return "gzip";
    }

    @Override
    public ByteBuf compress(ByteBuf in, ByteBufAllocator alloc) throws IOException {
      return Codec.GZIP.compress(in, alloc);
    }

    @Override
    public ByteBuf decompress(ByteBuf in, ByteBufAllocator alloc, int maxBytes) throws IOException {
      count.incrementAndGet();
      return Codec.GZIP.decompress(in, alloc, maxBytes);
    }
  }

  /** grpc-java's gzip, counting the messages it inflates. */
  private static final class CountingGrpcGzip implements io.grpc.Codec {
    private final AtomicInteger count;

    CountingGrpcGzip(AtomicInteger count) {
      this.count = count;
    }

    @Override
    public String getMessageEncoding() {
      return "gzip";
    }

    @Override
    public OutputStream compress(OutputStream os) throws IOException {
      return new io.grpc.Codec.Gzip().compress(os);
    }

    @Override
    public InputStream decompress(InputStream is) throws IOException {
      count.incrementAndGet();
      return new io.grpc.Codec.Gzip().decompress(is);
    }
  }
}
