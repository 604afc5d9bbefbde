package dev.rill.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.rill.Metadata;
import dev.rill.MethodDescriptor;
import dev.rill.MethodType;
import dev.rill.Status;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
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
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The DATA frames of a request as a bare HTTP/2 server sees them. */
@Timeout(60)
class RequestFramesTest {
  private static final MethodDescriptor<String, String> UNARY = Loopback.method("test.Frames/Unary", MethodType.UNARY);

  /** "DATA <length>" or "DATA <length> END_STREAM", in arrival order. */
  private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
  private EventLoopGroup group;
  private Channel listener;
  private ClientChannel channel;

  @BeforeEach
  void start() throws InterruptedException {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                  if (msg instanceof Http2ResetFrame) {
                    frames.add("RST_STREAM");
                  }
                  if (msg instanceof Http2DataFrame) {
                    Http2DataFrame data = (Http2DataFrame) msg;
                    frames.add("DATA " + data.content().readableBytes() + (data.isEndStream() ? " END_STREAM" : ""));
                    if (data.isEndStream()) {
                      answer(ctx, data.stream());
                    }
                  }
                } finally {
                  ReferenceCountUtil.release(msg);
                }
              }
            });
          }
        })
        .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    channel = ClientChannel.forAddress("127.0.0.1", ((InetSocketAddress) listener.localAddress()).getPort()).build();
  }

  private static void answer(ChannelHandlerContext ctx, Http2FrameStream stream) {
    ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200").set("content-type",
        "application/grpc")).stream(stream));
    ByteBuf message = ctx.alloc().buffer().writeByte(0).writeInt(2);
    ByteBufUtil.writeAscii(message, "ok");
    ctx.write(new DefaultHttp2DataFrame(message).stream(stream));
    ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().set("grpc-status", "0"), true)
        .stream(stream));
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    listener.close().sync();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  @Test
  void aUnaryRequestIsOneDataFrameThatCarriesEndStream() throws Exception {
    assertEquals("ok", ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, "hello"));
    assertEquals("DATA 10 END_STREAM", frames.poll(10, TimeUnit.SECONDS), "the message ends the stream itself");
  }

  @Test
  void aHalfCloseAfterTheMessageLeftIsAnEmptyDataFrameWithEndStream() throws Exception {
    CompletableFuture<Status> closed = new CompletableFuture<>();
    ClientCall<String, String> call = sendHello(closed);
    assertEquals("DATA 10", frames.poll(10, TimeUnit.SECONDS));
    call.halfClose();
    assertEquals("DATA 0 END_STREAM", frames.poll(10, TimeUnit.SECONDS));
    assertEquals(Status.Code.OK, closed.get(10, TimeUnit.SECONDS).code());
  }

  @Test
  void aHalfCloseAfterCancelNeverEndsTheStreamBeforeTheReset() throws Exception {
    CompletableFuture<Status> closed = new CompletableFuture<>();
    ClientCall<String, String> call = sendHello(closed);
    call.cancel("stop", null);
    call.halfClose();

    assertEquals(Status.Code.CANCELLED, closed.get(10, TimeUnit.SECONDS).code());
    // The message may or may not leave before the reset; a complete request never does.
    for (String frame = frames.poll(10, TimeUnit.SECONDS); !"RST_STREAM".equals(frame);
        frame = frames.poll(10, TimeUnit.SECONDS)) {
      assertNotNull(frame, "no RST_STREAM after the cancel");
      assertFalse(frame.endsWith("END_STREAM"), "the server saw a complete request: " + frame);
    }
  }

  /** Starts a unary call and sends its message, without half-closing; {@code closed} gets its status. */
  private ClientCall<String, String> sendHello(CompletableFuture<Status> closed) {
    ClientCall<String, String> call = channel.newCall(UNARY, CallOptions.DEFAULT);
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onClose(Status status, Metadata trailers) {
        closed.complete(status);
      }
    }, new Metadata());
    call.request(1);
    call.sendMessage("hello");
    return call;
  }
}
