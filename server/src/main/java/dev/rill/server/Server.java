package dev.rill.server;

import dev.rill.Codec;
import dev.rill.internal.Http2Limits;
import dev.rill.internal.Transports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A gRPC server: listens on one address and serves the registered services over HTTP/2, plaintext
 * with prior knowledge (h2c) or TLS with ALPN {@code h2}.
 *
 * <p><b>Lifecycle.</b> {@link #start()} once; {@link #shutdown()} stops accepting connections and
 * drains open ones with a double GOAWAY, letting in-flight calls finish within the grace period
 * before they are cancelled; {@link #shutdownNow()} cancels everything at once.
 * {@link #awaitTermination} waits for every connection to close. Thread-safe.
 *
 * <p><b>Threading.</b> I/O runs on Netty event loops. Handlers run on the executor from
 * {@link Builder#executor} (default: a shared cached pool, so a blocking handler never stalls I/O), or
 * on the event loop itself with {@link Builder#directExecutor()} for handlers that never block.
 *
 * <p><b>Defaults</b> (as grpc-java and grpc-go): 4 MiB max inbound message, 8 KiB max request
 * metadata (advertised as SETTINGS_MAX_HEADER_LIST_SIZE), 1 MiB flow-control window, 1000 concurrent
 * streams per connection, 30 s shutdown grace period; Netty's rapid-reset, empty-DATA,
 * control-frame and CONTINUATION flood limits are on (see {@code Http2Limits}).
 */
public final class Server {
  private final ServerConfig config;
  private final SocketAddress bindAddress;
  private final SslContext sslContext;
  private final EventLoopGroup group;
  private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private final Object lock = new Object();
  private Channel serverChannel;
  private boolean started;
  private volatile boolean shutdown;

  private Server(Builder b) {
    Map<AsciiString, ServiceDefinition.Method<?, ?>> methods = new LinkedHashMap<>();
    Set<String> serviceNames = new HashSet<>();
    for (ServiceDefinition service : b.services) {
      ServiceDefinition s = b.interceptors.isEmpty()
          ? service : service.intercept(b.interceptors.toArray(new ServerInterceptor[0]));
      if (!serviceNames.add(s.name())) {
        throw new IllegalArgumentException("service " + s.name() + " registered twice");
      }
      for (ServiceDefinition.Method<?, ?> m : s.methods()) {
        methods.put(AsciiString.of(m.descriptor().path()), m);
      }
    }
    Map<String, Codec> codecs = new LinkedHashMap<>();
    codecs.put(Codec.GZIP.name(), Codec.GZIP);
    for (Codec c : b.codecs) {
      codecs.put(c.name(), c);
    }
    codecs.put(Codec.IDENTITY.name(), Codec.IDENTITY);
    this.config = new ServerConfig(Collections.unmodifiableMap(methods), Collections.unmodifiableSet(serviceNames),
        b.direct ? null : (b.executor != null ? b.executor : Transports.sharedExecutor()),
        b.maxInboundMessageSize, b.maxHeaderListSize, b.flowControlWindow, b.maxConcurrentStreams,
        b.gracePeriod.toMillis(), Collections.unmodifiableMap(codecs));
    this.bindAddress = b.address;
    this.sslContext = b.tls == null ? null : b.tls.newContext();
    this.group = b.group != null ? b.group : Transports.sharedEventLoopGroup();
    // An OpenSSL context holds native key material until released; engines retain it while in use.
    terminated.whenComplete((v, t) -> ReferenceCountUtil.release(sslContext));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds and starts serving; returns this server. */
  public Server start() throws IOException {
    synchronized (lock) {
      if (started) {
        throw new IllegalStateException("server already started");
      }
      started = true;
      ServerBootstrap bootstrap = new ServerBootstrap()
          .group(group)
          .channel(Transports.serverChannelType(group))
          .option(ChannelOption.SO_BACKLOG, 1024)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.SO_KEEPALIVE, true)
          .childHandler(new ServerInitializer(config, sslContext, this::accepted));
      try {
        serverChannel = bootstrap.bind(bindAddress).syncUninterruptibly().channel();
      } catch (RuntimeException e) {
        terminated.complete(null);
        throw new IOException("cannot bind " + bindAddress + ": " + e.getMessage(), e);
      }
      serverChannel.closeFuture().addListener(f -> maybeTerminated());
    }
    return this;
  }

  private void accepted(Channel ch) {
    connections.add(ch);
    ch.closeFuture().addListener(f -> {
      connections.remove(ch);
      maybeTerminated();
    });
    if (shutdown) {
      ch.close();
    }
  }

  private void maybeTerminated() {
    if (shutdown && (serverChannel == null || !serverChannel.isOpen()) && connections.isEmpty()) {
      terminated.complete(null);
    }
  }

  /** The port the server listens on (the chosen one when built with port 0). */
  public int port() {
    synchronized (lock) {
      if (serverChannel == null) {
        throw new IllegalStateException("server not started");
      }
      return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }
  }

  /** Stops accepting and drains open connections gracefully; returns at once. */
  public Server shutdown() {
    closeListener();
    for (Channel ch : connections) {
      ch.eventLoop().execute(() -> {
        ServerHandler handler = ch.pipeline().get(ServerHandler.class);
        if (handler != null) {
          handler.startGracefulShutdown();
        } else {
          ch.close();
        }
      });
    }
    maybeTerminated();
    return this;
  }

  /** Stops accepting and closes every connection now, cancelling open calls; returns at once. */
  public Server shutdownNow() {
    closeListener();
    for (Channel ch : connections) {
      ch.eventLoop().execute(() -> {
        ServerHandler handler = ch.pipeline().get(ServerHandler.class);
        if (handler != null) {
          handler.forceClose();
        } else {
          ch.close();
        }
      });
    }
    maybeTerminated();
    return this;
  }

  private void closeListener() {
    synchronized (lock) {
      shutdown = true;
      if (serverChannel != null) {
        serverChannel.close().syncUninterruptibly();
      }
    }
  }

  public boolean isShutdown() {
    return shutdown;
  }

  public boolean isTerminated() {
    return terminated.isDone();
  }

  /** Waits until every connection has closed after a shutdown; returns whether it has. */
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    try {
      terminated.get(timeout, unit);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Builds a {@link Server}. Every setting has a default; see the class doc. */
  public static final class Builder {
    private SocketAddress address = new InetSocketAddress(0);
    private final List<ServiceDefinition> services = new ArrayList<>();
    private final List<ServerInterceptor> interceptors = new ArrayList<>();
    private final List<Codec> codecs = new ArrayList<>();
    private Executor executor;
    private boolean direct;
    private ServerTls tls;
    private EventLoopGroup group;
    private int maxInboundMessageSize = Http2Limits.DEFAULT_MAX_INBOUND_MESSAGE_SIZE;
    private int maxHeaderListSize = Http2Limits.DEFAULT_MAX_HEADER_LIST_SIZE;
    private int flowControlWindow = Http2Limits.DEFAULT_FLOW_CONTROL_WINDOW;
    private int maxConcurrentStreams = Http2Limits.DEFAULT_MAX_CONCURRENT_STREAMS;
    private Duration gracePeriod = Duration.ofSeconds(30);

    private Builder() {}

    /** Listens on every interface at {@code port}; 0 picks a free port. */
    public Builder port(int port) {
      this.address = new InetSocketAddress(port);
      return this;
    }

    public Builder address(SocketAddress address) {
      this.address = Objects.requireNonNull(address);
      return this;
    }

    public Builder addService(BindableService service) {
      return addService(service.bindService());
    }

    public Builder addService(ServiceDefinition service) {
      services.add(Objects.requireNonNull(service));
      return this;
    }

    /** Interceptors around every service; the first one added runs first. */
    public Builder intercept(ServerInterceptor... interceptors) {
      this.interceptors.addAll(List.of(interceptors));
      return this;
    }

    /** Runs call callbacks on {@code executor}. */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor);
      this.direct = false;
      return this;
    }

    /** Runs call callbacks on the event loop: only for handlers that never block. */
    public Builder directExecutor() {
      this.direct = true;
      return this;
    }

    public Builder tls(ServerTls tls) {
      this.tls = tls;
      return this;
    }

    /** Event loops for accepting and serving connections; must outlive the server. */
    public Builder eventLoopGroup(EventLoopGroup group) {
      this.group = group;
      return this;
    }

    public Builder maxInboundMessageSize(int bytes) {
      this.maxInboundMessageSize = positive("maxInboundMessageSize", bytes);
      return this;
    }

    public Builder maxHeaderListSize(int bytes) {
      this.maxHeaderListSize = positive("maxHeaderListSize", bytes);
      return this;
    }

    public Builder flowControlWindow(int bytes) {
      this.flowControlWindow = positive("flowControlWindow", bytes);
      return this;
    }

    public Builder maxConcurrentStreams(int streams) {
      this.maxConcurrentStreams = positive("maxConcurrentStreams", streams);
      return this;
    }

    /** How long {@link Server#shutdown()} lets in-flight calls run before cancelling them. */
    public Builder shutdownGracePeriod(Duration grace) {
      this.gracePeriod = Objects.requireNonNull(grace);
      return this;
    }

    /** Registers a compression codec beyond identity and gzip. */
    public Builder codec(Codec codec) {
      codecs.add(Objects.requireNonNull(codec));
      return this;
    }

    public Server build() {
      return new Server(this);
    }

    private static int positive(String name, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + ": must be positive, got " + value);
      }
      return value;
    }
  }
}
