package dev.rill.interop;

import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The misbehaving server of grpc/grpc {@code doc/negative-http2-interop-test-descriptions.md}, written
 * on Netty's HTTP/2 frame codec so it can break the protocol exactly where a case says: it answers
 * every {@code UnaryCall} with {@code response_size} zero bytes, except that in
 * <ul>
 *   <li>{@code rst_after_header} it resets the stream (NO_ERROR) right after the response headers,
 *   <li>{@code rst_during_data} after half of the response bytes,
 *   <li>{@code rst_after_data} after all of them, instead of sending trailers,
 *   <li>{@code goaway} it sends GOAWAY after the first request of a connection,
 *   <li>{@code ping} it pings before and after the headers and before and after the data,
 *   <li>{@code max_streams} it allows one concurrent stream (SETTINGS_MAX_CONCURRENT_STREAMS=1).
 * </ul>
 * Its own assertions (goaway: the second call came on a new connection; ping: every ping was
 * acknowledged; max_streams: never two streams at once) are reported by {@link #serverFailure}.
 * Plaintext only, as in the descriptions. Run alone with {@code --port} and {@code --test_case}.
 */
final class Http2TestServer implements AutoCloseable {
  static final Set<String> CASES =
      new LinkedHashSet<>(List.of("rst_after_header", "rst_during_data", "rst_after_data", "goaway", "ping", "max_streams"));

  private final String testCase;
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel listener;
  private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connectionCount = new AtomicInteger();
  /** goaway: the connection number each request arrived on, in order. */
  private final List<Integer> requestConnections = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final AtomicInteger outstandingPings = new AtomicInteger();
  private final AtomicInteger maxActiveStreams = new AtomicInteger();

  private Http2TestServer(String testCase, int port) throws InterruptedException {
    if (!CASES.contains(testCase)) {
      throw new IllegalArgumentException("unknown negative HTTP/2 case '" + testCase + "' (known: " + CASES + ")");
    }
    this.testCase = testCase;
    Http2Settings settings = Http2Settings.defaultSettings();
    if (testCase.equals("max_streams")) {
      settings.maxConcurrentStreams(1);
    }
    listener = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            int number = connectionCount.incrementAndGet();
            connections.add(ch);
            ch.closeFuture().addListener(f -> connections.remove(ch));
            ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().initialSettings(settings).build(),
                new Handler(number));
          }
        })
        .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
  }

  static Http2TestServer start(String testCase, int port) throws InterruptedException {
    return new Http2TestServer(testCase, port);
  }

  int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /**
   * The server side's assertions, once the client has closed its connections: null when they hold,
   * else what failed.
   */
  String serverFailure() throws InterruptedException {
    for (Channel c : connections) {
      // The client has closed its channel; the server only has to see the FIN.
      if (!c.closeFuture().await(10, TimeUnit.SECONDS)) {
        return testCase + " server: the client left its connection open";
      }
    }
    switch (testCase) {
      case "goaway":
        if (requestConnections.size() != 2 || requestConnections.get(0).equals(requestConnections.get(1))) {
          return "goaway server: expected the second call on a new connection, got connections " + requestConnections;
        }
        return null;
      case "ping":
        return outstandingPings.get() == 0 ? null
            : "ping server: " + outstandingPings.get() + " pings were never acknowledged";
      case "max_streams":
        return maxActiveStreams.get() <= 1 ? null
            : "max_streams server: " + maxActiveStreams.get() + " streams were open at once";
      default:
        return null;
    }
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    for (Channel c : connections) {
      c.close();
    }
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** One connection: collects each request, then answers it the way the case misbehaves. */
  private final class Handler extends ChannelInboundHandlerAdapter {
    private final int connection;
    private final Map<Integer, ByteBuf> bodies = new HashMap<>();
    private int requests;
    private int active;

    Handler(int connection) {
      this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof Http2HeadersFrame) {
          Http2HeadersFrame h = (Http2HeadersFrame) msg;
          if (bodies.putIfAbsent(h.stream().id(), Unpooled.buffer()) == null) {
            active++;
            maxActiveStreams.accumulateAndGet(active, Math::max);
          }
          if (h.isEndStream()) {
            respond(ctx, h.stream());
          }
        } else if (msg instanceof Http2DataFrame) {
          Http2DataFrame d = (Http2DataFrame) msg;
          ByteBuf body = bodies.get(d.stream().id());
          if (body != null) {
            body.writeBytes(d.content());
          }
          if (d.initialFlowControlledBytes() > 0) {
            ctx.write(new DefaultHttp2WindowUpdateFrame(d.initialFlowControlledBytes()).stream(d.stream()));
          }
          if (d.isEndStream()) {
            respond(ctx, d.stream());
          }
        } else if (msg instanceof Http2PingFrame && ((Http2PingFrame) msg).ack()) {
          outstandingPings.decrementAndGet();
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      for (ByteBuf b : bodies.values()) {
        b.release();
      }
      bodies.clear();
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }

    private void respond(ChannelHandlerContext ctx, Http2FrameStream stream) {
      ByteBuf body = bodies.remove(stream.id());
      active--;
      requestConnections.add(connection);
      SimpleRequest request;
      try {
        body.skipBytes(5); // the gRPC frame header: flag and length
        request = SimpleRequest.parseFrom(body.nioBuffer());
      } catch (Exception e) {
        ctx.write(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR).stream(stream));
        return;
      } finally {
        body.release();
      }
      byte[] message = SimpleResponse.newBuilder()
          .setPayload(InteropService.zeros(request.getResponseSize())).build().toByteArray();
      ByteBuf framed = Unpooled.buffer(5 + message.length).writeByte(0).writeInt(message.length).writeBytes(message);
      requests++;
      if (testCase.equals("goaway") && requests == 1) {
        // Announces that no stream after this one will be processed; this one is still answered.
        ctx.write(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
      }
      ping(ctx);
      Http2Headers headers = new DefaultHttp2Headers().status("200").set("content-type", "application/grpc");
      ctx.write(new DefaultHttp2HeadersFrame(headers).stream(stream));
      ping(ctx);
      switch (testCase) {
        case "rst_after_header":
          framed.release();
          reset(ctx, stream);
          return;
        case "rst_during_data":
          ctx.write(new DefaultHttp2DataFrame(framed.readRetainedSlice(framed.readableBytes() / 2)).stream(stream));
          framed.release();
          reset(ctx, stream);
          return;
        case "rst_after_data":
          ctx.write(new DefaultHttp2DataFrame(framed).stream(stream));
          reset(ctx, stream);
          return;
        default:
          ping(ctx);
          ctx.write(new DefaultHttp2DataFrame(framed).stream(stream));
          ping(ctx);
          ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().set("grpc-status", "0"), true).stream(stream));
          ctx.flush();
      }
    }

    private void reset(ChannelHandlerContext ctx, Http2FrameStream stream) {
      ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.NO_ERROR).stream(stream));
    }

    private void ping(ChannelHandlerContext ctx) {
      if (testCase.equals("ping")) {
        outstandingPings.incrementAndGet();
        ctx.writeAndFlush(new DefaultHttp2PingFrame(0L));
      }
    }
  }

  /** Runs the server alone: {@code --port=PORT --test_case=CASE}, until the process is stopped. */
  public static void main(String[] args) throws Exception {
    Flags flags = Flags.parse(args, Set.of("port", "test_case"));
    Http2TestServer server = start(flags.get("test_case", "goaway"), flags.getInt("port", 8080));
    System.out.println("listening on " + server.port());
    CountDownLatch forever = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    forever.await();
  }
}
