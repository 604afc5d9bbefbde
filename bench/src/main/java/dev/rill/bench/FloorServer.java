package dev.rill.bench;

import com.google.protobuf.ByteString;
import dev.rill.internal.Transports;
import io.grpc.benchmarks.proto.Messages.Payload;
import io.grpc.benchmarks.proto.Messages.PayloadType;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The floor: raw Netty HTTP/2 (same event loops and epoll transport as Rill) answering with the bytes a
 * BenchmarkService would send, computed once at start-up. What it serves on each port is fixed by the
 * response size given for that port, since it reads nothing of the request.
 *
 * <p>{@code --listen=PORT:RESPONSE_SIZE[,PORT:RESPONSE_SIZE...]}
 */
final class FloorServer {
  /** Printed once every port listens; the bench runner waits for it. */
  static final String READY = "floor listening";

  private final List<Channel> listeners = new ArrayList<>();
  private final List<ByteBuf> messages = new ArrayList<>();
  /** Accepted connections, closed before the messages they write are released. */
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

  FloorServer() {}

  public static void main(String[] args) throws InterruptedException {
    String listen;
    try {
      listen = Flags.parse(args, Set.of("listen")).string("listen", null);
      if (listen == null) {
        throw new IllegalArgumentException("--listen=PORT:RESPONSE_SIZE[,...] is required");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("floor: " + e.getMessage());
      System.exit(2);
      return;
    }
    FloorServer floor = new FloorServer();
    for (String pair : listen.split(",")) {
      String[] parts = pair.split(":");
      floor.listen(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }
    System.out.println(READY + " on " + listen);
    System.out.flush();
    floor.listeners.get(0).closeFuture().sync();
  }

  /** Starts answering on {@code port} (0 picks one) with {@code responseSize}-byte payloads; returns the port. */
  int listen(int port, int responseSize) {
    // Direct, as the gRPC servers' pooled buffers are: a heap buffer would be copied on every write.
    // Released by close(); the handlers get an unreleasable view to duplicate per response.
    byte[] bytes = framed(responseSize);
    ByteBuf direct = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
    messages.add(direct);
    ByteBuf message = Unpooled.unreleasableBuffer(direct);
    EventLoopGroup group = Transports.sharedEventLoopGroup();
    Channel channel = new ServerBootstrap()
        .group(group)
        .channel(Transports.serverChannelType(group))
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            connections.add(ch);
            ch.pipeline().addLast(FloorHandler.create(message));
          }
        })
        .bind(port).syncUninterruptibly().channel();
    listeners.add(channel);
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  void close() {
    for (Channel channel : listeners) {
      channel.close().syncUninterruptibly();
    }
    connections.close().syncUninterruptibly();
    for (ByteBuf message : messages) {
      message.release();
    }
  }

  /** The gRPC message AsyncServer sends for a request asking {@code responseSize} bytes. */
  static byte[] framed(int responseSize) {
    SimpleResponse response = responseSize <= 0 ? SimpleResponse.getDefaultInstance()
        : SimpleResponse.newBuilder().setPayload(Payload.newBuilder().setType(PayloadType.COMPRESSABLE)
            .setBody(ByteString.copyFrom(new byte[responseSize]))).build();
    return GrpcFrames.frame(response.toByteArray());
  }
}
