package dev.rill.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rill.MethodDescriptor;
import dev.rill.MethodType;
import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.StreamObserver;
import dev.rill.internal.Transports;
import dev.rill.server.Server;
import dev.rill.server.ServerCalls;
import dev.rill.server.ServiceDefinition;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Connections end to end: the I/O transport (native epoll, NIO), reconnecting to a restarted server,
 * refused connections and the reconnect backoff, GOAWAY during graceful shutdown, and calls waiting for
 * MAX_CONCURRENT_STREAMS slots. Every wait is bounded, so a hang fails instead of stalling the build.
 */
class ConnectionTest {
  private static final long TIMEOUT_SECONDS = 20;

  static final MethodDescriptor<String, String> ECHO = method("Echo", MethodType.UNARY);
  /** Server-streaming: the handler hands its response observer to the test, which ends the call. */
  static final MethodDescriptor<String, String> HOLD = method("Hold", MethodType.SERVER_STREAMING);

  private static MethodDescriptor<String, String> method(String name, MethodType type) {
    return MethodDescriptor.<String, String>builder().fullMethodName("test.Conn/" + name).type(type)
        .requestMarshaller(StringMarshaller.INSTANCE).responseMarshaller(StringMarshaller.INSTANCE).build();
  }

  private final List<Server> servers = new ArrayList<>();
  private final List<ClientChannel> channels = new ArrayList<>();
  private final List<EventLoopGroup> groups = new ArrayList<>();
  private final BlockingQueue<StreamObserver<String>> held = new LinkedBlockingQueue<>();
  private ServerSocket rawListener;

  @AfterEach
  void tearDown() throws Exception {
    for (ClientChannel c : channels) {
      c.shutdownNow();
      assertTrue(c.awaitTermination(10, TimeUnit.SECONDS), "channel did not terminate");
    }
    for (Server s : servers) {
      s.shutdownNow();
      assertTrue(s.awaitTermination(10, TimeUnit.SECONDS), "server did not terminate");
    }
    for (EventLoopGroup g : groups) {
      g.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }
    if (rawListener != null) {
      rawListener.close();
    }
  }

  @Test
  void linuxUsesNativeEpollByDefault() throws Exception {
    assumeTrue(System.getProperty("os.name").startsWith("Linux"), "epoll is Linux only");
    assumeTrue(System.getProperty("rill.transport") == null, "transport chosen by -Drill.transport");
    EventLoopGroup shared = Transports.sharedEventLoopGroup();

    assertTrue(Transports.EPOLL, "epoll did not load: " + io.netty.channel.epoll.Epoll.unavailabilityCause());
    assertTrue(((IoEventLoopGroup) shared).isIoType(EpollIoHandler.class), "the shared event loops are not epoll");
    assertSame(EpollSocketChannel.class, Transports.socketChannelType(shared));
    assertTrue(echoThread(startServer(Server.builder().directExecutor())).startsWith("rill-io"),
        "a default server's handler did not run on the shared (epoll) event loops");
  }

  @Test
  void aServerAndAChannelOnAnExplicitNioEventLoopGroupServeCalls() throws Exception {
    EventLoopGroup nio = group(new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("test-nio", true),
        NioIoHandler.newFactory()));
    assertSame(NioSocketChannel.class, Transports.socketChannelType(nio));
    Server server = startServer(Server.builder().eventLoopGroup(nio).directExecutor());
    ClientChannel channel = channel(server.port(), b -> b.eventLoopGroup(nio));
    CompletableFuture<String> clientThread = new CompletableFuture<>();
    CompletableFuture<String> serverThread = new CompletableFuture<>();
    // A direct executor runs the listener on the thread that delivers the response: the event loop.
    ClientCall<String, String> call = channel.newCall(ECHO, CallOptions.DEFAULT.withExecutor(Runnable::run));
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(String handlerThread) {
        serverThread.complete(handlerThread);
        clientThread.complete(Thread.currentThread().getName());
      }
    }, new dev.rill.Metadata());
    call.request(1);
    call.sendMessage("thread");
    call.halfClose();

    assertTrue(serverThread.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).startsWith("test-nio"),
        "the handler ran on " + serverThread.get());
    assertTrue(clientThread.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).startsWith("test-nio"),
        "the response arrived on " + clientThread.get());
  }

  @Test
  void aServerRestartedOnTheSamePortIsReconnectedToByTheNextCall() throws Exception {
    Server first = startServer(Server.builder(), "one");
    int port = first.port();
    ClientChannel channel = channel(port, b -> b);
    assertEquals("one", echo(channel));
    CompletableFuture<List<String>> open = hold(channel);
    held.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);

    first.shutdownNow();
    ExecutionException lost = assertThrows(ExecutionException.class,
        () -> open.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertEquals(Status.Code.UNAVAILABLE, status(lost).code(), lost.toString());
    assertTrue(first.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    startServer(Server.builder().port(port), "two");

    assertEquals("two", echo(channel));
  }

  @Test
  void aRefusedConnectionFailsUnavailableAndCallsFailWithoutConnectingUntilTheBackoffPasses() throws Exception {
    int port = unusedPortBelowTheEphemeralRange();
    ClientChannel channel = channel(port, b -> b);

    StatusException refused = assertThrows(StatusException.class, () -> blockingEcho(channel));
    assertEquals(Status.Code.UNAVAILABLE, refused.status().code(), refused.toString());
    assertTrue(refused.status().description().contains("cannot connect"), refused.status().description());
    StatusException backingOff = assertThrows(StatusException.class, () -> blockingEcho(channel));
    assertEquals(Status.Code.UNAVAILABLE, backingOff.status().code(), backingOff.toString());
    assertTrue(backingOff.status().description().contains("next connection attempt"),
        backingOff.status().description());

    startServer(Server.builder().port(port), "up");
    assertEquals("up", retryUntilOk(channel));
  }

  @Test
  void callsDuringTheReconnectBackoffMakeNoConnectionAttempt() throws Exception {
    AtomicInteger accepted = new AtomicInteger();
    int port = acceptAndCloseEveryConnection(accepted);
    ClientChannel channel = channel(port, b -> b);

    StatusException first = assertThrows(StatusException.class, () -> blockingEcho(channel));
    assertEquals(Status.Code.UNAVAILABLE, first.status().code(), first.toString());
    assertEquals(1, accepted.get());
    for (int i = 0; i < 20; i++) {
      // A call that connected would fail only after the listener accepted (and closed) it.
      StatusException e = assertThrows(StatusException.class, () -> blockingEcho(channel));
      assertEquals(Status.Code.UNAVAILABLE, e.status().code(), e.toString());
      assertEquals(1, accepted.get(), "call " + i + " during the backoff opened a connection");
    }

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (accepted.get() == 1) {
      assertTrue(System.nanoTime() - deadline < 0, "no new connection attempt after the backoff");
      assertThrows(StatusException.class, () -> blockingEcho(channel));
      pace();
    }
    assertEquals(2, accepted.get());
  }

  @Test
  void aCallOpenDuringAGracefulShutdownCompletesAndNewCallsGoToANewConnection() throws Exception {
    EventLoopGroup loop = group(Transports.newEventLoopGroup(1, "first-server"));
    Server first = startServer(Server.builder().eventLoopGroup(loop), "one");
    int port = first.port();
    ClientChannel channel = channel(port, b -> b);
    List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<List<String>> open = hold(channel, received);
    StreamObserver<String> responses = held.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);

    first.shutdown();
    startServer(Server.builder().port(port), "two");
    // Sent by a task queued on the connection's only event loop after shutdown()'s GOAWAY: when the
    // client has this message, it has handled the GOAWAY.
    loop.next().execute(() -> responses.onNext("after-goaway"));
    awaitMessage(received, "after-goaway");

    assertEquals("two", echo(channel), "a call after the GOAWAY went to the draining connection");
    assertFalse(open.isDone(), "the open call ended with the GOAWAY");
    responses.onNext("last");
    responses.onCompleted();
    assertEquals(List.of("after-goaway", "last"), open.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertTrue(first.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the drained server did not terminate");
  }

  @Test
  void callsAfterAGracefulShutdownFailUnavailableWhenNoServerIsLeft() throws Exception {
    EventLoopGroup loop = group(Transports.newEventLoopGroup(1, "only-server"));
    Server server = startServer(Server.builder().eventLoopGroup(loop), "one");
    ClientChannel channel = channel(server.port(), b -> b);
    List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<List<String>> open = hold(channel, received);
    StreamObserver<String> responses = held.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);

    server.shutdown();
    loop.next().execute(() -> responses.onNext("after-goaway"));
    awaitMessage(received, "after-goaway");

    ExecutionException e = assertThrows(ExecutionException.class,
        () -> ClientCalls.futureUnaryCall(channel, ECHO, CallOptions.DEFAULT, "x").get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertEquals(Status.Code.UNAVAILABLE, status(e).code(), e.toString());
    responses.onCompleted();
    assertEquals(List.of("after-goaway"), open.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertTrue(server.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void callsRacingAGracefulShutdownEachEndOkOrUnavailableAndNeverHang() throws Exception {
    Server server = startServer(Server.builder(), "one");
    ClientChannel channel = channel(server.port(), b -> b);
    assertEquals("one", echo(channel));
    List<Future<String>> calls = new ArrayList<>();

    for (int i = 0; i < 200; i++) {
      if (i == 50) {
        server.shutdown();
      }
      calls.add(ClientCalls.futureUnaryCall(channel, ECHO, CallOptions.DEFAULT, "x"));
    }

    for (Future<String> call : calls) {
      try {
        assertEquals("one", call.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
      } catch (ExecutionException e) {
        assertEquals(Status.Code.UNAVAILABLE, status(e).code(), e.toString());
      }
    }
    assertTrue(server.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void callsBeyondMaxConcurrentStreamsWaitForASlotAndAllSucceed() throws Exception {
    int calls = 10;
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    Semaphore started = new Semaphore(0);
    Semaphore release = new Semaphore(0);
    Server server = startServer(Server.builder().maxConcurrentStreams(2)
        .addService(ServiceDefinition.builder("test.Slots").addMethod(slotMethod(), ServerCalls.unaryCall((req, obs) -> {
          maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
          started.release();
          try {
            if (!release.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
              throw new IllegalStateException("never released");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          running.decrementAndGet();
          obs.onNext(req);
          obs.onCompleted();
        })).build()));
    ClientChannel channel = channel(server.port(), b -> b);
    List<CompletableFuture<String>> futures = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      futures.add(ClientCalls.futureUnaryCall(channel, slotMethod(), CallOptions.DEFAULT, "call-" + i));
    }

    for (int i = 0; i < calls; i++) {
      // Two handlers run; let one finish, and another call takes its slot.
      assertTrue(started.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS), "handler " + i + " never started");
      if (i >= 1) {
        release.release();
      }
    }
    release.release();

    for (int i = 0; i < calls; i++) {
      assertEquals("call-" + i, futures.get(i).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }
    assertEquals(2, maxRunning.get(), "handlers running at once");
  }

  private static MethodDescriptor<String, String> slotMethod() {
    return MethodDescriptor.<String, String>builder().fullMethodName("test.Slots/Wait").type(MethodType.UNARY)
        .requestMarshaller(StringMarshaller.INSTANCE).responseMarshaller(StringMarshaller.INSTANCE).build();
  }

  private Server startServer(Server.Builder builder) throws IOException {
    return startServer(builder, "echo");
  }

  /** A server whose Echo answers {@code name} (or, for "echo", the handler's thread name). */
  private Server startServer(Server.Builder builder, String name) throws IOException {
    ServiceDefinition service = ServiceDefinition.builder("test.Conn")
        .addMethod(ECHO, ServerCalls.unaryCall((req, obs) -> {
          obs.onNext("echo".equals(name) ? Thread.currentThread().getName() : name);
          obs.onCompleted();
        }))
        .addMethod(HOLD, ServerCalls.serverStreamingCall((req, obs) -> held.add(obs)))
        .build();
    Server server = builder.addService(service).build().start();
    servers.add(server);
    return server;
  }

  @Test
  void shutdownNowDuringATlsHandshakeFailsTheWaitingCallAndTerminatesTheChannel() throws Exception {
    // A listener that accepts TCP but never answers the TLS ClientHello: the handshake hangs.
    rawListener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
      try {
        return rawListener.accept();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    TestCertificates.Issued ca = TestCertificates.ca("test-ca");
    ClientChannel channel = channel(rawListener.getLocalPort(),
        b -> b.tls(ClientTls.builder().trustRoots(ca.certificatePem()).build()));
    CompletableFuture<Status> closed = new CompletableFuture<>();
    ClientCall<String, String> call = channel.newCall(ECHO, CallOptions.DEFAULT);
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onClose(Status status, dev.rill.Metadata trailers) {
        closed.complete(status);
      }
    }, new dev.rill.Metadata());
    // Held by the call until a connection exists: must be released when none ever will.
    call.sendMessage("waiting for a handshake that never ends");
    call.halfClose();
    try (Socket socket = accepted.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      channel.shutdownNow();
      assertEquals(Status.Code.UNAVAILABLE, closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).code());
      assertTrue(channel.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS), "channel did not terminate");
    }
  }

  private ClientChannel channel(int port, java.util.function.UnaryOperator<ClientChannel.Builder> config) {
    ClientChannel channel = config.apply(ClientChannel.forAddress("127.0.0.1", port)).build();
    channels.add(channel);
    return channel;
  }

  private EventLoopGroup group(EventLoopGroup group) {
    groups.add(group);
    return group;
  }

  private String echoThread(Server server) throws Exception {
    return echo(channel(server.port(), b -> b));
  }

  private static String echo(ClientChannel channel) throws Exception {
    return ClientCalls.futureUnaryCall(channel, ECHO, CallOptions.DEFAULT, "x").get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  private static String blockingEcho(ClientChannel channel) {
    return ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT.withDeadlineAfter(TIMEOUT_SECONDS,
        TimeUnit.SECONDS), "x");
  }

  /** Calls until one succeeds: the reconnect backoff (about a second) has no event to wait for. */
  private static String retryUntilOk(ClientChannel channel) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (true) {
      try {
        return blockingEcho(channel);
      } catch (StatusException e) {
        assertEquals(Status.Code.UNAVAILABLE, e.status().code(), e.toString());
        assertTrue(System.nanoTime() - deadline < 0, "still failing after " + TIMEOUT_SECONDS + " s: " + e);
        pace();
      }
    }
  }

  /** Spaces the calls of a retry loop (bounded by a deadline; not a synchronization). */
  private static void pace() {
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
  }

  private CompletableFuture<List<String>> hold(ClientChannel channel) {
    return hold(channel, new java.util.concurrent.CopyOnWriteArrayList<>());
  }

  /** Starts a Hold call; messages go to {@code received}, the future completes with them at the end. */
  private static CompletableFuture<List<String>> hold(ClientChannel channel, List<String> received) {
    CompletableFuture<List<String>> done = new CompletableFuture<>();
    ClientCalls.asyncServerStreamingCall(channel, HOLD, CallOptions.DEFAULT, "hold", new StreamObserver<>() {
      @Override
      public void onNext(String value) {
        received.add(value);
        synchronized (received) {
          received.notifyAll();
        }
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        done.complete(List.copyOf(received));
      }
    });
    return done;
  }

  private static void awaitMessage(List<String> received, String message) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    synchronized (received) {
      while (!received.contains(message)) {
        long left = deadline - System.nanoTime();
        assertTrue(left > 0, "'" + message + "' never arrived");
        TimeUnit.NANOSECONDS.timedWait(received, left);
      }
    }
  }

  /**
   * A free port below the ephemeral range. A port just released by a {@code bind(0)} would be in that
   * range, and a connect to it can then pick it as its own source port and meet itself (TCP
   * self-connect): no refusal, but a connection to nobody.
   */
  private static int unusedPortBelowTheEphemeralRange() throws IOException {
    int low = 32768; // Linux's default; IANA's range starts higher still
    try {
      String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0);
      low = Math.max(12_000, Integer.parseInt(range.trim().split("\\s+")[0]));
    } catch (IOException | RuntimeException notLinux) {
      // keep the default
    }
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = low - 1000 - ThreadLocalRandom.current().nextInt(10_000);
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException inUse) {
        // try another
      }
    }
    throw new IOException("no free port below " + low);
  }

  /** A plain TCP listener that counts and at once closes every connection. */
  private int acceptAndCloseEveryConnection(AtomicInteger accepted) throws IOException {
    rawListener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> {
      while (true) {
        try (Socket s = rawListener.accept()) {
          accepted.incrementAndGet();
        } catch (IOException e) {
          return;
        }
      }
    }, "accept-and-close");
    acceptor.setDaemon(true);
    acceptor.start();
    return rawListener.getLocalPort();
  }

  private static Status status(ExecutionException e) {
    assertInstanceOf(StatusException.class, e.getCause());
    return ((StatusException) e.getCause()).status();
  }
}
