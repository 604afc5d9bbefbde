package dev.rill.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.MethodDescriptor;
import dev.rill.MethodType;
import dev.rill.internal.Transports;
import dev.rill.server.Server;
import dev.rill.server.ServiceDefinition;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Rill servers and channels on loopback for end-to-end tests, plus the executors and event loops a
 * test makes for them; {@link #close()} (from {@code @AfterEach}) shuts everything down at once and
 * waits for it, so the leak check sees no buffer still in flight.
 */
final class Loopback implements AutoCloseable {
  private final List<Server> servers = new ArrayList<>();
  private final List<ClientChannel> channels = new ArrayList<>();
  private final List<ExecutorService> executors = new ArrayList<>();
  private final List<EventLoopGroup> groups = new ArrayList<>();

  /** A String-to-String method with its kind. */
  static MethodDescriptor<String, String> method(String fullName, MethodType type) {
    return MethodDescriptor.<String, String>builder().fullMethodName(fullName).type(type)
        .requestMarshaller(StringMarshaller.INSTANCE).responseMarshaller(StringMarshaller.INSTANCE).build();
  }

  /** Starts a server on 127.0.0.1 with {@code services}. */
  Server server(ServiceDefinition... services) {
    return server(b -> { }, services);
  }

  /** Starts a server on 127.0.0.1 with {@code services}, after {@code customize} adjusted its builder. */
  Server server(Consumer<Server.Builder> customize, ServiceDefinition... services) {
    Server.Builder b = Server.builder().address(new InetSocketAddress("127.0.0.1", 0));
    for (ServiceDefinition s : services) {
      b.addService(s);
    }
    customize.accept(b);
    Server server = b.build();
    synchronized (this) {
      servers.add(server);
    }
    try {
      return server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ClientChannel channel(Server server) {
    return channel(server, b -> { });
  }

  ClientChannel channel(Server server, Consumer<ClientChannel.Builder> customize) {
    ClientChannel.Builder b = ClientChannel.forAddress("127.0.0.1", server.port());
    customize.accept(b);
    ClientChannel channel = b.build();
    synchronized (this) {
      channels.add(channel);
    }
    return channel;
  }

  /** A fixed pool of {@code threads} threads named {@code name-N}. */
  ExecutorService executor(int threads, String name) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    ExecutorService e = Executors.newFixedThreadPool(threads, factory);
    synchronized (this) {
      executors.add(e);
    }
    return e;
  }

  /** An event loop group of {@code threads} threads named {@code name-...}. */
  EventLoopGroup eventLoops(int threads, String name) {
    EventLoopGroup g = Transports.newEventLoopGroup(threads, name);
    synchronized (this) {
      groups.add(g);
    }
    return g;
  }

  /** Channels, then servers: shutdownNow and awaitTermination; then executors and event loops. */
  @Override
  public synchronized void close() throws InterruptedException {
    for (ClientChannel c : channels) {
      c.shutdownNow();
    }
    for (Server s : servers) {
      s.shutdownNow();
    }
    for (ClientChannel c : channels) {
      assertTrue(c.awaitTermination(10, TimeUnit.SECONDS), "channel did not terminate");
    }
    for (Server s : servers) {
      assertTrue(s.awaitTermination(10, TimeUnit.SECONDS), "server did not terminate");
    }
    for (ExecutorService e : executors) {
      e.shutdownNow();
      assertTrue(e.awaitTermination(10, TimeUnit.SECONDS), "executor did not terminate");
    }
    for (EventLoopGroup g : groups) {
      assertTrue(g.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS),
          "event loops did not terminate");
    }
    channels.clear();
    servers.clear();
    executors.clear();
    groups.clear();
  }
}
