package dev.rill.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.Codec;
import dev.rill.MethodDescriptor;
import dev.rill.MethodType;
import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.StreamObserver;
import dev.rill.server.Server;
import dev.rill.server.ServerCallStreamObserver;
import dev.rill.server.ServerCalls;
import dev.rill.server.ServiceDefinition;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Message compression end to end: gzip per call in both directions, per-message opt-out, the server
 * compressing only with an encoding the client accepts, encodings known on one side only, and the
 * inbound size limit applied to the decompressed size.
 *
 * <p>Codecs are observed through {@link CountingCodec}, which delegates to the built-in gzip and is
 * registered under the name it counts (a codec registered as "gzip" replaces the built-in one).
 */
class CompressionTest {
  private static final long TIMEOUT_SECONDS = 10;
  private static final String BIG = "compressible ".repeat(8 * 1024);

  static final MethodDescriptor<String, String> ECHO = method("Echo", MethodType.UNARY);
  static final MethodDescriptor<String, String> CHAT = method("Chat", MethodType.BIDI_STREAMING);

  private static MethodDescriptor<String, String> method(String name, MethodType type) {
    return MethodDescriptor.<String, String>builder().fullMethodName("test.Zip/" + name).type(type)
        .requestMarshaller(StringMarshaller.INSTANCE).responseMarshaller(StringMarshaller.INSTANCE).build();
  }

  private final List<Server> servers = new ArrayList<>();
  private final List<ClientChannel> channels = new ArrayList<>();
  private final AtomicInteger handlerCalls = new AtomicInteger();
  private EventLoopGroup rawGroup;
  private Channel rawListener;
  /** The encoding server handlers ask for with setCompression, or null for none. */
  private volatile String serverEncoding;

  @AfterEach
  void tearDown() throws InterruptedException {
    for (ClientChannel c : channels) {
      c.shutdownNow();
      assertTrue(c.awaitTermination(10, TimeUnit.SECONDS), "channel did not terminate");
    }
    for (Server s : servers) {
      s.shutdownNow();
      assertTrue(s.awaitTermination(10, TimeUnit.SECONDS), "server did not terminate");
    }
    if (rawListener != null) {
      rawListener.close().syncUninterruptibly();
    }
    if (rawGroup != null) {
      rawGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void gzipCompressesTheRequestsAndResponsesOfACallThatAsksForIt() {
    CountingCodec serverGzip = new CountingCodec("gzip");
    CountingCodec clientGzip = new CountingCodec("gzip");
    ClientChannel channel = channel(server(Server.builder().codec(serverGzip)), ClientChannel.Builder::usePlaintext,
        clientGzip);
    serverEncoding = "gzip";

    assertEquals(BIG, ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT.withCompression("gzip"), BIG));

    assertEquals(1, clientGzip.compressed.get(), "requests compressed by the client");
    assertEquals(1, serverGzip.decompressed.get(), "requests decompressed by the server");
    assertEquals(1, serverGzip.compressed.get(), "responses compressed by the server");
    assertEquals(1, clientGzip.decompressed.get(), "responses decompressed by the client");
    assertTrue(clientGzip.compressedBytes.get() < BIG.length() / 10, "request not compressed: "
        + clientGzip.compressedBytes.get() + " bytes on the wire");
    assertTrue(serverGzip.compressedBytes.get() < BIG.length() / 10, "response not compressed: "
        + serverGzip.compressedBytes.get() + " bytes on the wire");
  }

  @Test
  void theBuiltInGzipOfOneSideInteroperatesWithTheOtherSide() {
    CountingCodec serverGzip = new CountingCodec("gzip");
    ClientChannel channel = channel(server(Server.builder().codec(serverGzip)), ClientChannel.Builder::usePlaintext);
    serverEncoding = "gzip";

    assertEquals(BIG, ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT.withCompression("gzip"), BIG));

    assertEquals(1, serverGzip.decompressed.get(), "the built-in gzip's request was not decompressed");
    assertEquals(1, serverGzip.compressed.get(), "the response was not compressed for the built-in gzip");
  }

  @Test
  void aCallThatAsksForNoCompressionSendsNothingCompressed() {
    CountingCodec serverGzip = new CountingCodec("gzip");
    CountingCodec clientGzip = new CountingCodec("gzip");
    ClientChannel channel = channel(server(Server.builder().codec(serverGzip)), ClientChannel.Builder::usePlaintext,
        clientGzip);

    assertEquals(BIG, ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, BIG));

    assertEquals(0, clientGzip.compressed.get() + clientGzip.decompressed.get()
        + serverGzip.compressed.get() + serverGzip.decompressed.get());
  }

  @Test
  void setMessageCompressionFalseSendsAnUncompressedMessageOnAGzipCallInBothDirections() throws Exception {
    CountingCodec serverGzip = new CountingCodec("gzip");
    CountingCodec clientGzip = new CountingCodec("gzip");
    ClientChannel channel = channel(server(Server.builder().codec(serverGzip)), ClientChannel.Builder::usePlaintext,
        clientGzip);
    serverEncoding = "gzip";
    List<String> responses = new ArrayList<>();
    CompletableFuture<List<String>> done = new CompletableFuture<>();
    StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(channel, CHAT,
        CallOptions.DEFAULT.withCompression("gzip"), new StreamObserver<>() {
          @Override
          public void onNext(String value) {
            responses.add(value);
          }

          @Override
          public void onError(Throwable t) {
            done.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            done.complete(responses);
          }
        });
    ClientCallStreamObserver<String> requestSide = (ClientCallStreamObserver<String>) requests;

    requests.onNext("zip-1 " + BIG);
    requestSide.setMessageCompression(false);
    requests.onNext("plain " + BIG);
    requestSide.setMessageCompression(true);
    requests.onNext("zip-2 " + BIG);
    requests.onCompleted();

    assertEquals(List.of("zip-1 " + BIG, "plain " + BIG, "zip-2 " + BIG),
        done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertEquals(2, clientGzip.compressed.get(), "requests the client compressed");
    assertEquals(2, serverGzip.decompressed.get(), "compressed requests the server received");
    assertEquals(2, serverGzip.compressed.get(), "responses the server compressed");
    assertEquals(2, clientGzip.decompressed.get(), "compressed responses the client received");
  }

  @Test
  void theServerCompressesWithAnEncodingOnlyWhenTheClientAcceptsIt() {
    CountingCodec serverCustom = new CountingCodec("x-custom");
    CountingCodec clientCustom = new CountingCodec("x-custom");
    Server server = server(Server.builder().codec(serverCustom));
    ClientChannel plainClient = channel(server, ClientChannel.Builder::usePlaintext);
    ClientChannel customClient = channel(server, ClientChannel.Builder::usePlaintext, clientCustom);
    serverEncoding = "x-custom";

    assertEquals(BIG, ClientCalls.blockingUnaryCall(plainClient, ECHO, CallOptions.DEFAULT, BIG));
    assertEquals(0, serverCustom.compressed.get(), "compressed for a client that does not accept x-custom");

    assertEquals(BIG, ClientCalls.blockingUnaryCall(customClient, ECHO, CallOptions.DEFAULT, BIG));
    assertEquals(1, serverCustom.compressed.get(), "not compressed for a client that accepts x-custom");
    assertEquals(1, clientCustom.decompressed.get());
  }

  @Test
  void aRequestEncodingOnlyTheClientKnowsIsRejectedUnimplementedByTheServer() {
    CountingCodec clientCustom = new CountingCodec("x-custom");
    ClientChannel channel = channel(server(Server.builder()), ClientChannel.Builder::usePlaintext, clientCustom);

    StatusException e = assertThrows(StatusException.class, () ->
        ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT.withCompression("x-custom"), BIG));

    assertEquals(Status.Code.UNIMPLEMENTED, e.status().code(), e.toString());
    assertTrue(e.status().description().contains("x-custom"), e.status().description());
    assertEquals(0, handlerCalls.get(), "the handler ran");
  }

  @Test
  void aResponseEncodingTheClientDoesNotKnowFailsTheCallInternal() throws Exception {
    ClientChannel channel = ClientChannel.forAddress("127.0.0.1", rawServer("x-custom", true)).build();
    channels.add(channel);

    StatusException e = assertThrows(StatusException.class,
        () -> ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, "hi"));

    assertEquals(Status.Code.INTERNAL, e.status().code(), e.toString());
    assertTrue(e.status().description().contains("x-custom"), e.status().description());
  }

  @Test
  void aCompressedResponseWithoutAnEncodingFailsTheCallInternal() throws Exception {
    ClientChannel channel = ClientChannel.forAddress("127.0.0.1", rawServer(null, true)).build();
    channels.add(channel);

    StatusException e = assertThrows(StatusException.class,
        () -> ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, "hi"));

    assertEquals(Status.Code.INTERNAL, e.status().code(), e.toString());
    assertTrue(e.status().description().contains("grpc-encoding"), e.status().description());
  }

  @Test
  void aGzipResponseFromAnotherImplementationIsDecompressed() throws Exception {
    ClientChannel channel = ClientChannel.forAddress("127.0.0.1", rawServer("gzip", true)).build();
    channels.add(channel);

    assertEquals(BIG, ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, "hi"));
  }

  @Test
  void aRequestWhoseDecompressedSizeExceedsTheServersLimitFailsResourceExhausted() {
    CountingCodec clientGzip = new CountingCodec("gzip");
    int limit = 16 * 1024;
    ClientChannel channel = channel(server(Server.builder().maxInboundMessageSize(limit)),
        ClientChannel.Builder::usePlaintext, clientGzip);

    StatusException e = assertThrows(StatusException.class, () ->
        ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT.withCompression("gzip"), BIG));

    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.status().code(), e.toString());
    assertTrue(e.status().description().contains("decompressed"), e.status().description());
    assertTrue(clientGzip.compressedBytes.get() < limit, "the compressed request itself was over the limit");
    assertEquals(0, handlerCalls.get(), "the handler ran");
  }

  @Test
  void aResponseWhoseDecompressedSizeExceedsTheClientsLimitFailsResourceExhausted() {
    CountingCodec serverGzip = new CountingCodec("gzip");
    int limit = 16 * 1024;
    ClientChannel channel = channel(server(Server.builder().codec(serverGzip)),
        b -> b.maxInboundMessageSize(limit));
    serverEncoding = "gzip";

    StatusException e = assertThrows(StatusException.class,
        () -> ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, BIG));

    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.status().code(), e.toString());
    assertTrue(e.status().description().contains("decompressed"), e.status().description());
    assertTrue(serverGzip.compressedBytes.get() < limit, "the compressed response itself was over the limit");
  }

  /** Starts a server with an echo (unary) and a chat (bidi) method that compress as {@link #serverEncoding} says. */
  private Server server(Server.Builder builder) {
    ServiceDefinition service = ServiceDefinition.builder("test.Zip")
        .addMethod(ECHO, ServerCalls.unaryCall((request, responses) -> {
          handlerCalls.incrementAndGet();
          compress(responses);
          responses.onNext(request);
          responses.onCompleted();
        }))
        .addMethod(CHAT, ServerCalls.<String, String>bidiStreamingCall(responses -> {
          handlerCalls.incrementAndGet();
          compress(responses);
          ServerCallStreamObserver<String> out = (ServerCallStreamObserver<String>) responses;
          return new StreamObserver<String>() {
            @Override
            public void onNext(String message) {
              out.setMessageCompression(!message.startsWith("plain"));
              out.onNext(message);
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {
              out.onCompleted();
            }
          };
        }))
        .build();
    try {
      Server server = builder.port(0).addService(service).build().start();
      servers.add(server);
      return server;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void compress(StreamObserver<String> responses) {
    String encoding = serverEncoding;
    if (encoding != null) {
      ((ServerCallStreamObserver<String>) responses).setCompression(encoding);
    }
  }

  private ClientChannel channel(Server server, java.util.function.UnaryOperator<ClientChannel.Builder> config,
      Codec... codecs) {
    ClientChannel.Builder b = config.apply(ClientChannel.forAddress("127.0.0.1", server.port()));
    for (Codec c : codecs) {
      b.codec(c);
    }
    ClientChannel channel = b.build();
    channels.add(channel);
    return channel;
  }

  /**
   * A bare HTTP/2 server that answers every request with one gzip-compressed message of {@link #BIG}
   * under {@code encoding} (no grpc-encoding header when null) and status OK, whatever the client accepts.
   */
  private int rawServer(String encoding, boolean compressedFlag) throws InterruptedException {
    rawGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    rawListener = new ServerBootstrap().group(rawGroup).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) throws IOException {
                try {
                  if (msg instanceof Http2HeadersFrame) {
                    respond(ctx, (Http2HeadersFrame) msg, encoding, compressedFlag);
                  }
                } finally {
                  ReferenceCountUtil.release(msg);
                }
              }
            });
          }
        })
        .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    return ((InetSocketAddress) rawListener.localAddress()).getPort();
  }

  private static void respond(ChannelHandlerContext ctx, Http2HeadersFrame request, String encoding,
      boolean compressedFlag) throws IOException {
    DefaultHttp2Headers headers = new DefaultHttp2Headers();
    headers.status("200").set("content-type", "application/grpc");
    if (encoding != null) {
      headers.set("grpc-encoding", encoding);
    }
    ctx.write(new DefaultHttp2HeadersFrame(headers).stream(request.stream()));
    ByteBuf plain = ByteBufUtil.writeUtf8(ctx.alloc(), BIG);
    ByteBuf compressed;
    try {
      compressed = Codec.GZIP.compress(plain, ctx.alloc());
    } finally {
      plain.release();
    }
    ByteBuf message = ctx.alloc().buffer(5 + compressed.readableBytes());
    message.writeByte(compressedFlag ? 1 : 0).writeInt(compressed.readableBytes()).writeBytes(compressed);
    compressed.release();
    ctx.write(new DefaultHttp2DataFrame(message).stream(request.stream()));
    ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().set("grpc-status", "0"), true)
        .stream(request.stream()));
  }

  /** Gzip under any name, counting what it does. */
  static final class CountingCodec implements Codec {
    private final String name;
    final AtomicInteger compressed = new AtomicInteger();
    final AtomicInteger decompressed = new AtomicInteger();
    /** Bytes this codec produced when compressing. */
    final AtomicLong compressedBytes = new AtomicLong();

    CountingCodec(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public ByteBuf compress(ByteBuf in, ByteBufAllocator alloc) throws IOException {
      compressed.incrementAndGet();
      ByteBuf out = Codec.GZIP.compress(in, alloc);
      compressedBytes.addAndGet(out.readableBytes());
      return out;
    }

    @Override
    public ByteBuf decompress(ByteBuf in, ByteBufAllocator alloc, int maxBytes) throws IOException {
      decompressed.incrementAndGet();
      return Codec.GZIP.decompress(in, alloc, maxBytes);
    }
  }
}
