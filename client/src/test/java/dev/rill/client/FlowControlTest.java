package dev.rill.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static java.util.stream.Collectors.toList;

import dev.rill.CallStreamObserver;
import dev.rill.Marshaller;
import dev.rill.MethodDescriptor;
import dev.rill.MethodType;
import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.StreamObserver;
import dev.rill.internal.Http2Limits;
import dev.rill.internal.MessageFramer;
import dev.rill.server.Server;
import dev.rill.server.ServerCallStreamObserver;
import dev.rill.server.ServerCalls;
import dev.rill.server.ServiceDefinition;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.lang.management.ManagementFactory;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Flow control end to end over loopback: a producer that honours {@code isReady()}/on-ready streams
 * 1 GiB to a consumer that asks for one message at a time, in each direction, and what was sent but not
 * yet consumed stays within a few windows; a receiver that asks for nothing stops the sender.
 *
 * <p>No sleeps: the consumer is made the slow side by asking for its next message only after the
 * producer has been held back by {@code isReady() == false} since the previous ask.
 */
class FlowControlTest {
  private static final int MIB = 1 << 20;
  private static final long TOTAL_BYTES = 1L << 30;
  private static final int BIG = MIB;
  private static final int SMALL = 16 * 1024;
  private static final int WINDOW = Http2Limits.DEFAULT_FLOW_CONTROL_WINDOW;
  /** Sent and not consumed: a window in flight plus a message queued at each end and the one being sent. */
  private static final long MAX_IN_FLIGHT = 8L * MIB;
  /** Memory the buffer allocator may hold, and heap that may survive a GC, at any point of a 1 GiB transfer. */
  private static final long MAX_ALLOCATED = 64L * MIB;
  private static final long MAX_LIVE_HEAP = 64L * MIB;
  private static final long TIMEOUT_SECONDS = 60;
  private static final ByteBufAllocatorMetric ALLOCATOR =
      ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
  private static final List<MemoryPoolMXBean> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported()).collect(toList());

  /** A message is just its size: written from a shared pattern, parsed back to its length. */
  static final Marshaller<Integer> BLOB = new Marshaller<>() {
    private final byte[] pattern = pattern();

    private byte[] pattern() {
      byte[] p = new byte[64 * 1024];
      for (int i = 0; i < p.length; i++) {
        p[i] = (byte) (i * 31 + 7);
      }
      return p;
    }

    @Override
    public void write(Integer size, ByteBuf out) {
      for (int left = size; left > 0; left -= pattern.length) {
        out.writeBytes(pattern, 0, Math.min(left, pattern.length));
      }
    }

    @Override
    public Integer parse(ByteBuf in) {
      int n = in.readableBytes();
      if (n > 0 && (in.getByte(in.readerIndex()) != pattern[0]
          || in.getByte(in.writerIndex() - 1) != pattern[(n - 1) % pattern.length])) {
        throw new IllegalArgumentException("corrupt blob of " + n + " bytes");
      }
      return n;
    }
  };

  static final MethodDescriptor<Integer, Integer> UPLOAD = method("Upload", MethodType.CLIENT_STREAMING);
  static final MethodDescriptor<Integer, Integer> DOWNLOAD = method("Download", MethodType.SERVER_STREAMING);
  static final MethodDescriptor<Integer, Integer> MISSING = method("Missing", MethodType.UNARY);

  private static MethodDescriptor<Integer, Integer> method(String name, MethodType type) {
    return MethodDescriptor.<Integer, Integer>builder().fullMethodName("test.Flow/" + name).type(type)
        .requestMarshaller(BLOB).responseMarshaller(BLOB).build();
  }

  private Server server;
  private ClientChannel channel;

  @AfterEach
  void tearDown() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow();
      assertTrue(channel.awaitTermination(10, TimeUnit.SECONDS), "channel did not terminate");
    }
    if (server != null) {
      server.shutdownNow();
      assertTrue(server.awaitTermination(10, TimeUnit.SECONDS), "server did not terminate");
    }
  }

  @Test
  void aFastClientStreamingOneGibibyteToAServerHandlerThatRequestsOneAtATimeKeepsMemoryBounded() throws Exception {
    Transfer t = new Transfer(BIG, (int) (TOTAL_BYTES / BIG));
    CompletableFuture<ServerCallStreamObserver<Integer>> serverSide = new CompletableFuture<>();
    start(UPLOAD, ServerCalls.clientStreamingCall(responses -> {
      ServerCallStreamObserver<Integer> r = (ServerCallStreamObserver<Integer>) responses;
      r.disableAutoRequest();
      serverSide.complete(r);
      return t.sink(() -> {
        r.onNext(t.messages);
        r.onCompleted();
      });
    }));
    CompletableFuture<Integer> result = new CompletableFuture<>();
    ClientCalls.asyncClientStreamingCall(channel, UPLOAD, CallOptions.DEFAULT,
        new ClientResponseObserver<Integer, Integer>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<Integer> requests) {
            requests.setOnReadyHandler(t.producer(requests));
          }

          @Override
          public void onNext(Integer count) {
            result.complete(count);
          }

          @Override
          public void onError(Throwable e) {
            result.completeExceptionally(e);
          }

          @Override
          public void onCompleted() {}
        });
    ServerCallStreamObserver<Integer> requests = serverSide.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

    t.consume(requests::request);

    assertEquals(t.messages, result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    t.assertBounded("client -> server");
  }

  @Test
  void aFastServerStreamingOneGibibyteToAClientThatRequestsOneAtATimeKeepsMemoryBounded() throws Exception {
    Transfer t = new Transfer(BIG, (int) (TOTAL_BYTES / BIG));
    start(DOWNLOAD, ServerCalls.serverStreamingCall((size, responses) -> {
      Runnable producer = t.producer((ServerCallStreamObserver<Integer>) responses);
      ((ServerCallStreamObserver<Integer>) responses).setOnReadyHandler(producer);
      producer.run();
    }));
    CompletableFuture<ClientCallStreamObserver<Integer>> clientSide = new CompletableFuture<>();
    CompletableFuture<Void> completed = new CompletableFuture<>();
    ClientCalls.asyncServerStreamingCall(channel, DOWNLOAD, CallOptions.DEFAULT, BIG,
        new ClientResponseObserver<Integer, Integer>() {
          final StreamObserver<Integer> sink = t.sink(() -> completed.complete(null));

          @Override
          public void beforeStart(ClientCallStreamObserver<Integer> requests) {
            requests.disableAutoRequest();
            clientSide.complete(requests);
          }

          @Override
          public void onNext(Integer size) {
            sink.onNext(size);
          }

          @Override
          public void onError(Throwable e) {
            sink.onError(e);
            completed.completeExceptionally(e);
          }

          @Override
          public void onCompleted() {
            sink.onCompleted();
          }
        });
    ClientCallStreamObserver<Integer> requests = clientSide.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

    t.consume(requests::request);

    completed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    t.assertBounded("server -> client");
  }

  @Test
  void aServerHandlerThatRequestsNothingStopsTheClientOnceTheWindowIsFull() throws Exception {
    Transfer t = new Transfer(SMALL, Integer.MAX_VALUE);
    start(UPLOAD, ServerCalls.clientStreamingCall(responses -> {
      ((ServerCallStreamObserver<Integer>) responses).disableAutoRequest();
      return t.sink(responses::onCompleted);
    }));
    CompletableFuture<ClientCallStreamObserver<Integer>> clientSide = new CompletableFuture<>();
    ClientCalls.asyncClientStreamingCall(channel, UPLOAD, CallOptions.DEFAULT,
        new ClientResponseObserver<Integer, Integer>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<Integer> requests) {
            clientSide.complete(requests);
            requests.setOnReadyHandler(t.producer(requests));
          }

          @Override
          public void onNext(Integer value) {}

          @Override
          public void onError(Throwable e) {}

          @Override
          public void onCompleted() {}
        });

    t.assertStalled(clientSide.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void aClientThatRequestsNothingStopsTheServerOnceTheWindowIsFull() throws Exception {
    Transfer t = new Transfer(SMALL, Integer.MAX_VALUE);
    CompletableFuture<ServerCallStreamObserver<Integer>> serverSide = new CompletableFuture<>();
    start(DOWNLOAD, ServerCalls.serverStreamingCall((size, responses) -> {
      ServerCallStreamObserver<Integer> r = (ServerCallStreamObserver<Integer>) responses;
      serverSide.complete(r);
      Runnable producer = t.producer(r);
      r.setOnReadyHandler(producer);
      producer.run();
    }));
    ClientCalls.asyncServerStreamingCall(channel, DOWNLOAD, CallOptions.DEFAULT, SMALL,
        new ClientResponseObserver<Integer, Integer>() {
          final StreamObserver<Integer> sink = t.sink(() -> {});

          @Override
          public void beforeStart(ClientCallStreamObserver<Integer> requests) {
            requests.disableAutoRequest();
          }

          @Override
          public void onNext(Integer size) {
            sink.onNext(size);
          }

          @Override
          public void onError(Throwable e) {}

          @Override
          public void onCompleted() {}
        });

    t.assertStalled(serverSide.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  private void start(MethodDescriptor<Integer, Integer> method,
      dev.rill.server.ServerCallHandler<Integer, Integer> handler) throws Exception {
    server = Server.builder().port(0)
        .addService(ServiceDefinition.builder("test.Flow").addMethod(method, handler).build())
        .build().start();
    channel = ClientChannel.forAddress("127.0.0.1", server.port()).build();
  }

  /**
   * One transfer's producer, consumer and measurements. The producer runs on its call's callback
   * thread (on-ready), the consumer on the test thread.
   */
  private final class Transfer {
    final int messageSize;
    final int messages;
    /** Payload bytes handed to onNext, and taken by the consumer. */
    final AtomicLong sent = new AtomicLong();
    final AtomicLong consumed = new AtomicLong();
    final AtomicLong maxInFlight = new AtomicLong();
    final AtomicLong maxAllocated = new AtomicLong();
    /** Heap in use just after the latest garbage collection: what is really held, garbage excluded. */
    final AtomicLong maxLiveHeap = new AtomicLong();
    long gcsAtStart;
    /** Times the producer found isReady() false and returned to wait for on-ready. */
    final AtomicInteger blocked = new AtomicInteger();
    final Semaphore blockedSignal = new Semaphore(0);
    /** Sizes of the messages that arrived; -1 when the call failed. */
    final BlockingQueue<Integer> received = new LinkedBlockingQueue<>();
    volatile boolean producerFinished;
    volatile long sentAtLastBlock;
    volatile Throwable failure;
    long startNanos;

    Transfer(int messageSize, int messages) {
      this.messageSize = messageSize;
      this.messages = messages;
    }

    /** The on-ready handler: sends while isReady(), then waits to be called again. */
    Runnable producer(CallStreamObserver<Integer> out) {
      return new Runnable() {
        private int count;

        @Override
        public void run() {
          if (producerFinished) {
            return;
          }
          while (count < messages) {
            if (!out.isReady()) {
              sentAtLastBlock = sent.get();
              blocked.incrementAndGet();
              blockedSignal.release();
              return;
            }
            maxInFlight.accumulateAndGet(sent.addAndGet(messageSize) - consumed.get(), Math::max);
            sample();
            out.onNext(messageSize);
            count++;
          }
          producerFinished = true;
          blockedSignal.release();
          out.onCompleted();
        }
      };
    }

    /** The receiving observer: queues each message for the consumer. */
    StreamObserver<Integer> sink(Runnable onCompleted) {
      return new StreamObserver<>() {
        @Override
        public void onNext(Integer size) {
          received.add(size);
        }

        @Override
        public void onError(Throwable e) {
          failure = e;
          received.add(-1);
        }

        @Override
        public void onCompleted() {
          onCompleted.run();
        }
      };
    }

    /**
     * Takes every message, asking for each only after the producer was held back by isReady() since
     * the previous ask, so the consumer is always the slow side.
     */
    void consume(IntConsumer request) throws InterruptedException {
      startNanos = System.nanoTime();
      gcsAtStart = gcCount();
      for (int i = 0; i < messages; i++) {
        if (!producerFinished) {
          assertTrue(blockedSignal.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS),
              "message " + i + ": the producer was never held back by isReady() == false");
          blockedSignal.drainPermits();
        }
        request.accept(1);
        Integer size = received.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(size, "message " + i + " did not arrive");
        if (size < 0) {
          throw new AssertionError("the call failed at message " + i, failure);
        }
        assertEquals(messageSize, size);
        consumed.addAndGet(size);
        sample();
      }
    }

    private void sample() {
      maxAllocated.accumulateAndGet(ALLOCATOR.usedDirectMemory() + ALLOCATOR.usedHeapMemory(), Math::max);
      long live = 0;
      for (MemoryPoolMXBean pool : HEAP_POOLS) {
        live += pool.getCollectionUsage().getUsed();
      }
      maxLiveHeap.accumulateAndGet(live, Math::max);
    }

    private long gcCount() {
      return ManagementFactory.getGarbageCollectorMXBeans().stream()
          .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    void assertBounded(String direction) {
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
      long gcs = gcCount() - gcsAtStart;
      System.out.printf("%s: %d MiB in %d ms (%.0f MiB/s); max in flight %.2f MiB, max allocator memory %.1f MiB,"
              + " max heap after GC %.1f MiB (%d GCs); producer held back by isReady() %d times%n", direction,
          consumed.get() / MIB, millis, consumed.get() / (double) MIB * 1000 / Math.max(1, millis),
          maxInFlight.get() / (double) MIB, maxAllocated.get() / (double) MIB, maxLiveHeap.get() / (double) MIB,
          gcs, blocked.get());
      assertEquals((long) messageSize * messages, consumed.get());
      assertTrue(blocked.get() >= messages - 1,
          "the producer was held back only " + blocked.get() + " times for " + messages + " messages");
      assertTrue(maxInFlight.get() <= MAX_IN_FLIGHT,
          "sent but not consumed reached " + maxInFlight.get() + " bytes (bound " + MAX_IN_FLIGHT + ")");
      assertTrue(maxAllocated.get() <= MAX_ALLOCATED,
          "the allocator held " + maxAllocated.get() + " bytes (bound " + MAX_ALLOCATED + ")");
      assertTrue(maxLiveHeap.get() <= MAX_LIVE_HEAP,
          "the heap held " + maxLiveHeap.get() + " bytes after a GC (bound " + MAX_LIVE_HEAP + ")");
    }

    /**
     * The producer stops on isReady() once the receiver's window is full, and stays stopped. The stop is
     * exact: the window takes {@code WINDOW / framed} whole messages, then the producer queues messages
     * until {@code ON_READY_THRESHOLD} bytes wait. Header-only round trips on the same connection (an
     * unknown method is answered at once, without DATA) then pass every frame the receiver could have
     * sent before them, so a window update for unrequested bytes would have let the producer go on.
     */
    void assertStalled(CallStreamObserver<Integer> producerSide) throws InterruptedException {
      long framed = messageSize + MessageFramer.HEADER_LENGTH;
      long stallPoint = (WINDOW / framed + (Http2Limits.ON_READY_THRESHOLD + framed - 1) / framed) * messageSize;
      while (sentAtLastBlock < stallPoint) {
        assertTrue(blockedSignal.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the producer stopped after "
            + sentAtLastBlock + " bytes, before filling the window (" + stallPoint + " bytes)");
      }
      assertEquals(stallPoint, sentAtLastBlock, "bytes sent into a " + WINDOW + "-byte window");
      for (int i = 0; i < 3; i++) {
        StatusException e = assertThrows(StatusException.class,
            () -> ClientCalls.blockingUnaryCall(channel, MISSING, CallOptions.DEFAULT, 1));
        assertEquals(Status.Code.UNIMPLEMENTED, e.status().code(), e.toString());
      }
      assertFalse(producerSide.isReady(), "isReady() turned true again");
      assertEquals(stallPoint, sent.get(), "the producer sent more");
      assertTrue(received.isEmpty(), "the receiver got messages it never requested");
    }
  }
}
