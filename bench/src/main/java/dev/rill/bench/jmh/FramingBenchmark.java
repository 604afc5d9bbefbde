package dev.rill.bench.jmh;

import dev.rill.Codec;
import dev.rill.ProtoMarshaller;
import dev.rill.Status;
import dev.rill.internal.MessageDeframer;
import dev.rill.internal.MessageFramer;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Rill's message framing: {@link MessageFramer#frame} (serialize a SimpleRequest behind the 5-byte
 * prefix into a pooled buffer) and {@link MessageDeframer} (cut one message back out of the DATA
 * payload), whole or arriving in 16 KiB DATA frames as HTTP/2's default frame size delivers it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FramingBenchmark {
  private static final int FRAME = 16 * 1024;

  @Param({"0", "1024", "65536"})
  public int payload;

  private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
  private final ProtoMarshaller<SimpleRequest> marshaller = ProtoMarshaller.of(SimpleRequest.getDefaultInstance());
  private final Counter counter = new Counter();
  private SimpleRequest message;
  private ByteBuf framed;

  /** Counts delivered messages and releases them, as a stream would after parsing. */
  private static final class Counter implements MessageDeframer.Listener {
    int messages;

    @Override
    public void messageRead(ByteBuf message, boolean compressed) {
      messages++;
      message.release();
    }

    @Override
    public void bytesRead(int count) {}

    @Override
    public void endOfStream() {}

    @Override
    public void deframeFailed(Status status) {
      throw new IllegalStateException(status.toString());
    }
  }

  @Setup
  public void setup() {
    message = Requests.echo(payload);
    framed = MessageFramer.frame(message, marshaller, Codec.IDENTITY, alloc);
  }

  @TearDown
  public void release() {
    framed.release();
  }

  @Benchmark
  public int frame() {
    ByteBuf buf = MessageFramer.frame(message, marshaller, Codec.IDENTITY, alloc);
    int n = buf.readableBytes();
    buf.release();
    return n;
  }

  @Benchmark
  public int deframeWhole() {
    MessageDeframer deframer = new MessageDeframer(counter, alloc, Integer.MAX_VALUE);
    deframer.request(1);
    deframer.deframe(framed.retainedDuplicate(), true);
    return counter.messages;
  }

  @Benchmark
  public int deframeIn16KiBFrames() {
    MessageDeframer deframer = new MessageDeframer(counter, alloc, Integer.MAX_VALUE);
    deframer.request(1);
    int length = framed.readableBytes();
    for (int offset = 0; offset < length; offset += FRAME) {
      int n = Math.min(FRAME, length - offset);
      deframer.deframe(framed.retainedSlice(offset, n), offset + n == length);
    }
    return counter.messages;
  }
}
