package dev.rill.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rill.internal.Transports;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A frame-level HTTP/2 client for checking the server's protocol handling on the wire: it writes
 * exactly the frames a test asks for (no flow control, no stream bookkeeping, no limits of its own)
 * and records every frame the server sends, decoded but with its raw flags.
 *
 * <p>The only thing it does by itself is acknowledge the server's SETTINGS, as any peer must for the
 * server to apply them. PINGs are recorded, not answered, so tests control the shutdown handshake.
 * Received frames are queued per stream ({@code 0} for the connection); every wait is bounded by
 * {@link #TIMEOUT}. Writes run in call order on the client's event loop.
 */
final class RawHttp2Client implements AutoCloseable {
  static final long TIMEOUT_SECONDS = 10;
  static final String TIMEOUT = TIMEOUT_SECONDS + " s";
  /** HEADERS and DATA flag bits. */
  static final int END_STREAM = 0x1;
  static final int END_HEADERS = 0x4;

  private static final EventLoopGroup GROUP = Transports.newEventLoopGroup(1, "raw-h2-client");
  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** A frame the server sent. */
  sealed interface Frame permits Settings, Headers, Data, RstStream, Ping, GoAway, WindowUpdate, Other {
    int streamId();
  }

  record Settings(boolean ack, Http2Settings settings) implements Frame {
    public int streamId() {
      return 0;
    }
  }

  /** A header block; {@code fields} in wire order as "name: value"; {@code flags} of its last frame. */
  record Headers(int streamId, List<String> fields, Http2Headers headers, int flags) implements Frame {
    boolean endStream() {
      return (flags & END_STREAM) != 0;
    }

    String get(String name) {
      CharSequence v = headers.get(name);
      return v == null ? null : v.toString();
    }
  }

  record Data(int streamId, byte[] bytes, int padding, int flags) implements Frame {
    boolean endStream() {
      return (flags & END_STREAM) != 0;
    }
  }

  record RstStream(int streamId, long errorCode) implements Frame {}

  record Ping(boolean ack, long data) implements Frame {
    public int streamId() {
      return 0;
    }
  }

  record GoAway(int lastStreamId, long errorCode, String debugData) implements Frame {
    public int streamId() {
      return 0;
    }
  }

  record WindowUpdate(int streamId, int increment) implements Frame {}

  /** Anything else (PRIORITY, PUSH_PROMISE, unknown types). */
  record Other(int streamId, int type) implements Frame {}

  /** A whole response: {@code headers} null for Trailers-Only; {@code body} the DATA bytes in order. */
  record Response(Headers headers, byte[] body, Headers trailers) {}

  private final Map<Integer, BlockingQueue<Frame>> queues = new ConcurrentHashMap<>();
  private final CompletableFuture<Http2Settings> firstSettings = new CompletableFuture<>();
  private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
  private final DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader(new DefaultHttp2HeadersDecoder(true));
  private final Inbound inbound = new Inbound();
  private volatile Throwable failure;
  private Channel channel;
  private ChannelHandlerContext ctx;
  private Http2Settings serverSettings;
  private List<Frame> openingFrames;
  private long nextPing = 1;
  /** Event loop only. */
  private boolean corked;

  private RawHttp2Client() {}

  /**
   * Connects, sends the preface and an empty SETTINGS, waits for (and acks) the server's SETTINGS,
   * then makes a PING round trip so the server's opening frames are all in and taken.
   */
  static RawHttp2Client connect(int port) throws Exception {
    RawHttp2Client c = new RawHttp2Client();
    c.channel = new Bootstrap().group(GROUP).channel(Transports.socketChannelType(GROUP))
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(c.inbound)
        .connect("127.0.0.1", port).syncUninterruptibly().channel();
    c.serverSettings = c.firstSettings.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    c.openingFrames = c.pingRoundTrip();
    return c;
  }

  /** The server's first SETTINGS (already acknowledged). */
  Http2Settings serverSettings() {
    return serverSettings;
  }

  /**
   * The connection frames the server sent before answering this client's first PING (sent once the
   * server's SETTINGS arrived): its SETTINGS, whatever followed, and the ack of the client's SETTINGS.
   */
  List<Frame> openingFrames() {
    return openingFrames;
  }

  /** gRPC request headers for {@code path}, in the order a typical client sends them. */
  static Http2Headers request(String path) {
    return new DefaultHttp2Headers(false)
        .method("POST").scheme("http").path(path).authority("localhost")
        .add("content-type", "application/grpc").add("te", "trailers");
  }

  /** A length-prefixed gRPC message: flags, 4-byte big-endian length, payload. */
  static byte[] message(int flags, byte[] payload) {
    byte[] out = new byte[5 + payload.length];
    out[0] = (byte) flags;
    out[1] = (byte) (payload.length >>> 24);
    out[2] = (byte) (payload.length >>> 16);
    out[3] = (byte) (payload.length >>> 8);
    out[4] = (byte) payload.length;
    System.arraycopy(payload, 0, out, 5, payload.length);
    return out;
  }

  static byte[] message(String utf8) {
    return message(0, utf8.getBytes(StandardCharsets.UTF_8));
  }

  /** Splits a response body into its messages' payloads, failing on a malformed prefix. */
  static List<byte[]> messages(byte[] body) {
    List<byte[]> out = new ArrayList<>();
    ByteBuf in = Unpooled.wrappedBuffer(body);
    while (in.isReadable()) {
      assertTrue(in.readableBytes() >= 5, "truncated message prefix");
      assertEquals(0, in.readUnsignedByte(), "response message flags");
      int length = in.readInt();
      assertTrue(in.readableBytes() >= length, "truncated message body");
      out.add(ByteBufUtil.getBytes(in.readSlice(length)));
    }
    return out;
  }

  void headers(int streamId, Http2Headers headers, boolean endStream) {
    write(ctx -> writer.writeHeaders(ctx, streamId, headers, 0, endStream, ctx.newPromise()));
  }

  /** One DATA frame per 16 KiB of {@code bytes} (one frame if smaller). */
  void data(int streamId, byte[] bytes, boolean endStream) {
    write(ctx -> writer.writeData(ctx, streamId, Unpooled.wrappedBuffer(bytes), 0, endStream, ctx.newPromise()));
  }

  /** Any frame, as given: {@code payload} is written as it is after the 9-byte frame header. */
  void frame(int type, int flags, int streamId, byte[] payload) {
    write(ctx -> writer.writeFrame(ctx, (byte) type, streamId, new Http2Flags((short) flags),
        Unpooled.wrappedBuffer(payload), ctx.newPromise()));
  }

  void rstStream(int streamId, Http2Error error) {
    write(ctx -> writer.writeRstStream(ctx, streamId, error.code(), ctx.newPromise()));
  }

  void ping(boolean ack, long data) {
    write(ctx -> writer.writePing(ctx, ack, data, ctx.newPromise()));
  }

  /**
   * Sends a PING and waits for its ack. The server answers frames in order, so once the ack is here
   * every frame the server wrote in reaction to what this client sent before is queued. Returns the
   * connection frames that arrived before the ack.
   */
  List<Frame> pingRoundTrip() throws InterruptedException {
    long data = 0x7261_7700_0000_0000L | nextPing++;
    ping(false, data);
    List<Frame> before = new ArrayList<>();
    while (true) {
      Frame f = poll(0, before);
      if (f instanceof Ping p && p.ack() && p.data() == data) {
        return before;
      }
      before.add(f);
    }
  }

  /** The next frame on {@code streamId}, which must be a {@code type}. */
  <T extends Frame> T next(int streamId, Class<T> type) throws InterruptedException {
    Frame f = poll(streamId);
    if (!type.isInstance(f)) {
      fail("stream " + streamId + ": expected " + type.getSimpleName() + ", got " + f);
    }
    return type.cast(f);
  }

  /** The next {@code type} frame on {@code streamId}, skipping frames of other types. */
  <T extends Frame> T await(int streamId, Class<T> type) throws InterruptedException {
    List<Frame> skipped = new ArrayList<>();
    while (true) {
      Frame f = poll(streamId, skipped);
      if (type.isInstance(f)) {
        return type.cast(f);
      }
      skipped.add(f);
    }
  }

  /** Frames received on {@code streamId} and not yet taken. */
  List<Frame> drain(int streamId) {
    List<Frame> out = new ArrayList<>();
    queue(streamId).drainTo(out);
    return out;
  }

  /** Reads one whole response on {@code streamId}: up to and including the END_STREAM header block. */
  Response response(int streamId) throws InterruptedException {
    Headers headers = next(streamId, Headers.class);
    if (headers.endStream()) {
      return new Response(null, new byte[0], headers);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      Frame f = poll(streamId);
      if (f instanceof Data d) {
        assertEquals(0, d.flags() & END_STREAM, "DATA must not end the stream: trailers follow");
        body.writeBytes(d.bytes());
      } else if (f instanceof Headers t) {
        assertTrue(t.endStream(), "trailers must end the stream");
        return new Response(headers, body.toByteArray(), t);
      } else {
        fail("stream " + streamId + ": unexpected " + f + " inside a response");
      }
    }
  }

  /** Completes when the connection is closed (by either side). */
  CompletableFuture<Void> closed() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    channel.closeFuture().addListener(x -> f.complete(null));
    return f;
  }

  void awaitClosed() throws Exception {
    closed().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }

  private BlockingQueue<Frame> queue(int streamId) {
    return queues.computeIfAbsent(streamId, id -> new LinkedBlockingQueue<>());
  }

  private Frame poll(int streamId) throws InterruptedException {
    return poll(streamId, List.of());
  }

  private Frame poll(int streamId, List<Frame> skipped) throws InterruptedException {
    Frame f = queue(streamId).poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (f == null) {
      Throwable t = failure;
      fail("stream " + streamId + ": no frame within " + TIMEOUT
          + (t != null ? " (client failed: " + t + ")" : channel.isActive() ? "" : " (connection closed)")
          + (skipped.isEmpty() ? "" : "; skipped " + skipped)
          + (streamId == 0 ? "" : "; connection frames not taken: " + drain(0)), t);
    }
    assertNotNull(f);
    return f;
  }

  /**
   * Holds back flushes until {@link #uncork()}, so the frames written in between leave in one socket
   * write and the server most likely reads them in one go.
   */
  void cork() {
    channel.eventLoop().execute(() -> corked = true);
  }

  void uncork() {
    channel.eventLoop().execute(() -> {
      corked = false;
      ctx.flush();
    });
  }

  private void write(Consumer<ChannelHandlerContext> frames) {
    channel.eventLoop().execute(() -> {
      frames.accept(ctx);
      if (!corked) {
        ctx.flush();
      }
    });
  }

  private void received(Frame f) {
    queue(f.streamId()).add(f);
  }

  /** Cuts the inbound bytes into frames, notes each one's flags and hands it to Netty's reader. */
  private final class Inbound extends ByteToMessageDecoder {
    private int flags;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      RawHttp2Client.this.ctx = ctx;
    }

    /** The preface goes out before anything is read, so it precedes the SETTINGS ack. */
    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      ctx.write(Unpooled.wrappedBuffer(PREFACE));
      writer.writeSettings(ctx, new Http2Settings(), ctx.newPromise());
      ctx.flush();
      super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Http2Exception {
      while (in.readableBytes() >= 9) {
        int length = in.getUnsignedMedium(in.readerIndex());
        if (in.readableBytes() < 9 + length) {
          return;
        }
        flags = in.getUnsignedByte(in.readerIndex() + 4);
        reader.readFrame(ctx, in.readSlice(9 + length), listener);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      try {
        super.channelInactive(ctx);
      } finally {
        reader.close(); // releases a header block still waiting for its CONTINUATION
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      failure = cause;
      ctx.close();
    }

    private final Http2FrameListener listener = new Http2FrameListener() {
      @Override
      public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
        received(new Data(streamId, ByteBufUtil.getBytes(data), padding, flags));
        return data.readableBytes() + padding;
      }

      @Override
      public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
          boolean endOfStream) {
        List<String> fields = new ArrayList<>();
        headers.forEach(e -> fields.add(e.getKey() + ": " + e.getValue()));
        received(new Headers(streamId, List.copyOf(fields), headers, flags));
      }

      @Override
      public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
          short weight, boolean exclusive, int padding, boolean endOfStream) {
        onHeadersRead(ctx, streamId, headers, padding, endOfStream);
      }

      @Override
      public void onPriorityRead(ChannelHandlerContext ctx, int streamId, int streamDependency, short weight,
          boolean exclusive) {
        received(new Other(streamId, 0x2));
      }

      @Override
      public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
        received(new RstStream(streamId, errorCode));
      }

      @Override
      public void onSettingsAckRead(ChannelHandlerContext ctx) {
        received(new Settings(true, null));
      }

      @Override
      public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
        writer.writeSettingsAck(ctx, ctx.newPromise());
        ctx.flush();
        Http2Settings copy = new Http2Settings();
        copy.putAll(settings);
        received(new Settings(false, copy));
        firstSettings.complete(copy);
      }

      @Override
      public void onPingRead(ChannelHandlerContext ctx, long data) {
        received(new Ping(false, data));
      }

      @Override
      public void onPingAckRead(ChannelHandlerContext ctx, long data) {
        received(new Ping(true, data));
      }

      @Override
      public void onPushPromiseRead(ChannelHandlerContext ctx, int streamId, int promisedStreamId,
          Http2Headers headers, int padding) {
        received(new Other(streamId, 0x5));
      }

      @Override
      public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
        received(new GoAway(lastStreamId, errorCode, debugData.toString(StandardCharsets.UTF_8)));
      }

      @Override
      public void onWindowUpdateRead(ChannelHandlerContext ctx, int streamId, int windowSizeIncrement) {
        received(new WindowUpdate(streamId, windowSizeIncrement));
      }

      @Override
      public void onUnknownFrame(ChannelHandlerContext ctx, byte frameType, int streamId, Http2Flags flags,
          ByteBuf payload) {
        received(new Other(streamId, frameType & 0xff));
      }
    };
  }
}
