package dev.rill.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.StringValue;
import dev.rill.CallContext;
import dev.rill.Codec;
import dev.rill.Metadata;
import dev.rill.MethodDescriptor;
import dev.rill.MethodType;
import dev.rill.ProtoMarshaller;
import dev.rill.Status;
import dev.rill.StreamObserver;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.DecompressorRegistry;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
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

/** A grpc-java 1.79 client (shaded Netty) calling a hand-written Rill service over loopback. */
class GrpcJavaClientTest {
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

  private final AtomicReference<Metadata> receivedHeaders = new AtomicReference<>();
  private final CountDownLatch handlerStarted = new CountDownLatch(1);
  private final CountDownLatch handlerCancelled = new CountDownLatch(1);
  private final AtomicReference<dev.rill.Deadline> handlerDeadline = new AtomicReference<>();
  private final AtomicInteger serverDecompressions = new AtomicInteger();
  private final AtomicInteger clientDecompressions = new AtomicInteger();
  private Server server;
  private ManagedChannel channel;
  private Pem certificate;

  @AfterEach
  void tearDown() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.shutdownNow();
    }
    assertTrue(channel == null || channel.awaitTermination(10, TimeUnit.SECONDS), "grpc-java channel terminated");
    assertTrue(server == null || server.awaitTermination(10, TimeUnit.SECONDS), "Rill server terminated");
  }

  @Test
  void aUnaryCallGetsItsResponse() throws Exception {
    start(null);
    assertEquals("echo:hello", ClientCalls.blockingUnaryCall(channel, grpc(UNARY), CallOptions.DEFAULT, str("hello"))
        .getValue());
    assertEquals("echo:", ClientCalls.blockingUnaryCall(channel, grpc(UNARY), CallOptions.DEFAULT, str(""))
        .getValue(), "an empty (zero-byte) message works both ways");
  }

  @Test
  void aServerStreamDeliversEveryResponseInOrder() throws Exception {
    start(null);
    Iterator<StringValue> it = ClientCalls.blockingServerStreamingCall(channel, grpc(SPLIT), CallOptions.DEFAULT,
        str("a,b,c,d"));
    List<String> got = new ArrayList<>();
    it.forEachRemaining(v -> got.add(v.getValue()));
    assertEquals(List.of("a", "b", "c", "d"), got);
  }

  @Test
  void aServerStreamThatFailsMidwayDeliversItsMessagesThenTheStatus() throws Exception {
    start(null);
    Iterator<StringValue> it = ClientCalls.blockingServerStreamingCall(channel, grpc(SPLIT), CallOptions.DEFAULT,
        str("a,b,!"));
    assertEquals("a", it.next().getValue());
    assertEquals("b", it.next().getValue());
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, it::hasNext);
    assertEquals(io.grpc.Status.Code.ABORTED, e.getStatus().getCode());
    assertEquals(UGLY_MESSAGE, e.getStatus().getDescription());
  }

  @Test
  void aClientStreamIsFoldedIntoOneResponse() throws Exception {
    start(null);
    Recorder<StringValue> responses = new Recorder<>();
    io.grpc.stub.StreamObserver<StringValue> requests = ClientCalls.asyncClientStreamingCall(
        channel.newCall(grpc(JOIN), CallOptions.DEFAULT), responses);
    for (String s : List.of("x", "y", "z")) {
      requests.onNext(str(s));
    }
    requests.onCompleted();
    assertEquals(List.of("x+y+z"), values(responses.done.get(10, TimeUnit.SECONDS)));
  }

  @Test
  void aBidiStreamAnswersEachMessageBeforeTheNextIsSent() throws Exception {
    start(null);
    Recorder<StringValue> responses = new Recorder<>();
    io.grpc.stub.StreamObserver<StringValue> requests = ClientCalls.asyncBidiStreamingCall(
        channel.newCall(grpc(ECHO), CallOptions.DEFAULT), responses);
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
    start(null);
    byte[] big = new byte[3 * 1024 * 1024];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31 + (i >>> 9));
    }
    BytesValue reply = ClientCalls.blockingUnaryCall(channel, grpc(BYTES),
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
    start(null);
    io.grpc.Metadata sent = new io.grpc.Metadata();
    sent.put(asciiKey("x-token"), "abc 123");
    sent.put(asciiKey("x-multi"), "one");
    sent.put(asciiKey("x-multi"), "two");
    sent.put(binKey("x-blob-bin"), BLOB);
    AtomicReference<io.grpc.Metadata> headers = new AtomicReference<>();
    AtomicReference<io.grpc.Metadata> trailers = new AtomicReference<>();
    io.grpc.Channel intercepted = ClientInterceptors.intercept(channel,
        MetadataUtils.newAttachHeadersInterceptor(sent), MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));

    assertEquals("echo:m", ClientCalls.blockingUnaryCall(intercepted, grpc(UNARY), CallOptions.DEFAULT, str("m"))
        .getValue());

    Metadata got = receivedHeaders.get();
    assertEquals("abc 123", got.get("x-token"));
    assertEquals(List.of("one", "two"), got.getAll("x-multi"));
    assertArrayEquals(BLOB, got.getBinary("x-blob-bin"));
    assertEquals("yes", headers.get().get(asciiKey("x-resp")));
    assertArrayEquals(BLOB, headers.get().get(binKey("x-resp-bin")));
    assertEquals("done", trailers.get().get(asciiKey("x-trail")));
    assertArrayEquals(BLOB, trailers.get().get(binKey("x-trail-bin")));
  }

  @Test
  void aFailedCallCarriesItsCodeItsUnicodeMultiLineMessageAndItsTrailers() throws Exception {
    start(null);
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(channel, grpc(UNARY), CallOptions.DEFAULT, str("fail")));
    assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertEquals(UGLY_MESSAGE, e.getStatus().getDescription());
    assertEquals("why", e.getTrailers().get(asciiKey("x-error")));
    assertArrayEquals(BLOB, e.getTrailers().get(binKey("x-error-bin")));
    assertEquals("done", e.getTrailers().get(asciiKey("x-trail")), "interceptor trailers join the error's");
  }

  @Test
  void anUnknownMethodAnswersUnimplemented() throws Exception {
    start(null);
    io.grpc.MethodDescriptor<StringValue, StringValue> missing = grpc(UNARY).toBuilder()
        .setFullMethodName(SERVICE + "/Missing").build();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(channel, missing, CallOptions.DEFAULT, str("?")));
    assertEquals(io.grpc.Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
  }

  @Test
  void anExpiredDeadlineFailsTheClientAndCancelsTheHandler() throws Exception {
    start(null);
    // Connect first, so that the deadline covers only the call: it must reach the handler in time.
    assertEquals("echo:warm-up", ClientCalls.blockingUnaryCall(channel, grpc(UNARY), CallOptions.DEFAULT,
        str("warm-up")).getValue());
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(channel, grpc(UNARY),
            CallOptions.DEFAULT.withDeadlineAfter(2, TimeUnit.SECONDS), str("hang")));
    assertEquals(io.grpc.Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
    assertTrue(handlerStarted.await(10, TimeUnit.SECONDS), "the call reached the handler");
    assertTrue(handlerCancelled.await(10, TimeUnit.SECONDS), "the Rill handler saw onCancel");
    assertNotNull(handlerDeadline.get(), "the handler's context carried the grpc-timeout as a deadline");
  }

  @Test
  void gzipCompressesRequestsAndResponsesBothWays() throws Exception {
    start(null);
    String text = "compress me ".repeat(200);
    StringValue reply = ClientCalls.blockingUnaryCall(channel, grpc(UNARY),
        CallOptions.DEFAULT.withCompression("gzip"), str("gzip:" + text));
    assertEquals("echo:gzip:" + text, reply.getValue());
    assertEquals(1, serverDecompressions.get(), "Rill inflated the gzip request");
    assertEquals(1, clientDecompressions.get(), "grpc-java inflated the gzip response");
  }

  @Test
  void aCallSucceedsOverTlsWithAlpnH2() throws Exception {
    certificate = selfSignedPem();
    start(ServerTls.builder()
        .keyCertChain(certificate.chain(), certificate.key())
        .build());
    assertEquals("echo:secret", ClientCalls.blockingUnaryCall(channel, grpc(UNARY), CallOptions.DEFAULT,
        str("secret")).getValue());
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

  // ---- Rill service -------------------------------------------------------------------------

  private void start(ServerTls tls) throws Exception {
    ServiceDefinition service = ServiceDefinition.builder(SERVICE)
        .addMethod(UNARY, ServerCalls.unaryCall(this::unary))
        .addMethod(SPLIT, ServerCalls.serverStreamingCall((req, obs) -> {
          for (String s : req.getValue().split(",")) {
            if (s.equals("!")) {
              obs.onError(Status.ABORTED.withDescription(UGLY_MESSAGE).asException());
              return;
            }
            obs.onNext(str(s));
          }
          obs.onCompleted();
        }))
        .addMethod(JOIN, ServerCalls.clientStreamingCall(obs -> new StreamObserver<StringValue>() {
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
        .addMethod(ECHO, ServerCalls.bidiStreamingCall(obs -> new StreamObserver<StringValue>() {
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
        .addMethod(BYTES, ServerCalls.unaryCall((req, obs) -> {
          byte[] b = req.getValue().toByteArray();
          for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ~b[i];
          }
          obs.onNext(BytesValue.newBuilder().setValue(ByteString.copyFrom(b)).build());
          obs.onCompleted();
        }))
        .build();
    Server.Builder b = Server.builder().port(0).addService(service).intercept(this::metadataInterceptor)
        .codec(new CountingGzip(serverDecompressions));
    if (tls != null) {
      b.tls(tls);
    }
    server = b.build().start();

    NettyChannelBuilder cb = NettyChannelBuilder.forAddress("localhost", server.port())
        .decompressorRegistry(DecompressorRegistry.emptyInstance().with(new CountingGrpcGzip(clientDecompressions), true));
    if (tls != null) {
      cb.sslContext(GrpcSslContexts.forClient().trustManager(certificate.chainStream()).build());
    } else {
      cb.usePlaintext();
    }
    channel = cb.build();
  }

  private void unary(StringValue req, StreamObserver<StringValue> obs) {
    String v = req.getValue();
    if (v.equals("fail")) {
      Metadata trailers = new Metadata().put("x-error", "why").putBinary("x-error-bin", BLOB);
      obs.onError(Status.INVALID_ARGUMENT.withDescription(UGLY_MESSAGE).asException(trailers));
      return;
    }
    if (v.equals("hang")) {
      handlerDeadline.set(CallContext.current().deadline());
      handlerStarted.countDown();
      ((ServerCallStreamObserver<StringValue>) obs).setOnCancelHandler(handlerCancelled::countDown);
      return;
    }
    if (v.startsWith("gzip:")) {
      ((ServerCallStreamObserver<StringValue>) obs).setCompression("gzip");
    }
    obs.onNext(str("echo:" + v));
    obs.onCompleted();
  }

  /** Records request headers, adds response headers before the first message and trailers at close. */
  private <ReqT, RespT> ServerCall.Listener<ReqT> metadataInterceptor(ServerCall<ReqT, RespT> call, Metadata headers,
      ServerCallHandler<ReqT, RespT> next) {
    receivedHeaders.set(headers);
    return next.startCall(new ForwardingServerCall<>(call) {
      private boolean headersSent;

      @Override
      public void sendHeaders(Metadata h) {
        headersSent = true;
        super.sendHeaders(h.put("x-resp", "yes").putBinary("x-resp-bin", BLOB));
      }

      @Override
      public void sendMessage(RespT message) {
        if (!headersSent) {
          sendHeaders(new Metadata());
        }
        super.sendMessage(message);
      }

      @Override
      public void close(Status status, Metadata trailers) {
        super.close(status, trailers.put("x-trail", "done").putBinary("x-trail-bin", BLOB));
      }
    }, headers);
  }

  // ---- helpers ------------------------------------------------------------------------------

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

  private static io.grpc.Metadata.Key<String> asciiKey(String name) {
    return io.grpc.Metadata.Key.of(name, io.grpc.Metadata.ASCII_STRING_MARSHALLER);
  }

  private static io.grpc.Metadata.Key<byte[]> binKey(String name) {
    return io.grpc.Metadata.Key.of(name, io.grpc.Metadata.BINARY_BYTE_MARSHALLER);
  }

  /** A grpc-java response observer that queues messages and completes with all of them. */
  private static final class Recorder<T> implements io.grpc.stub.StreamObserver<T> {
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
