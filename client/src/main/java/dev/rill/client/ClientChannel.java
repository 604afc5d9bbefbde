package dev.rill.client;

import dev.rill.Codec;
import dev.rill.MethodDescriptor;
import dev.rill.internal.GrpcHeaders;
import dev.rill.internal.Http2Limits;
import dev.rill.internal.Transports;
import io.netty.channel.EventLoopGroup;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client channel to one server address: starts calls on a single HTTP/2 connection, plaintext with
 * prior knowledge (h2c) or TLS with ALPN {@code h2}.
 *
 * <p><b>Connections.</b> The connection opens on the first call. Calls started while it is being
 * made wait for it; if it cannot be made they fail UNAVAILABLE, and calls fail fast until the backoff
 * (1 s growing x1.6 to 120 s) allows a new attempt. A lost connection is re-made on the next call.
 * After the server's GOAWAY, calls it did not process fail UNAVAILABLE and new calls use a new
 * connection. Calls beyond the server's MAX_CONCURRENT_STREAMS wait for a slot.
 *
 * <p><b>Lifecycle.</b> {@link #shutdown()} refuses new calls and closes connections once their calls
 * end; {@link #shutdownNow()} closes them at once. Thread-safe.
 *
 * <p><b>Defaults</b> (as grpc-java): 4 MiB max inbound message, 8 KiB max response metadata, 1 MiB
 * flow-control window, 20 s connect timeout, callbacks on a shared cached thread pool, gzip accepted.
 */
public final class ClientChannel implements Channel {
  private final ClientConfig config;
  private final ConnectionManager connections;
  private final Channel intercepted;

  private ClientChannel(Builder b) {
    ClientTls tls = b.tls;
    String override = tls == null ? null : tls.authorityOverride();
    String hostPort = authority(b.host, b.port);
    Map<String, Codec> codecs = new LinkedHashMap<>();
    codecs.put(Codec.GZIP.name(), Codec.GZIP);
    for (Codec c : b.codecs) {
      codecs.put(c.name(), c);
    }
    this.config = new ClientConfig(b.host, b.port, override != null ? override : hostPort,
        override != null ? stripPort(override) : b.host, tls == null ? null : tls.newContext(),
        b.group != null ? b.group : Transports.sharedEventLoopGroup(),
        b.executor != null ? b.executor : Transports.sharedExecutor(),
        b.maxInboundMessageSize, b.maxHeaderListSize, b.flowControlWindow, b.connectTimeoutMillis,
        Collections.unmodifiableMap(codecs),
        b.userAgent == null ? GrpcHeaders.RILL_USER_AGENT : new AsciiString(b.userAgent + " " + GrpcHeaders.RILL_USER_AGENT));
    this.connections = new ConnectionManager(config);
    // An OpenSSL context holds native session-cache entries until released; engines retain it while in use.
    connections.terminated().whenComplete((v, t) -> ReferenceCountUtil.release(config.sslContext));
    Channel self = new Channel() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(MethodDescriptor<ReqT, RespT> method, CallOptions options) {
        return new ClientCallImpl<>(ClientChannel.this, config, method, options);
      }

      @Override
      public String authority() {
        return config.authority.toString();
      }
    };
    this.intercepted = ClientInterceptor.intercept(self, b.interceptors.toArray(new ClientInterceptor[0]));
  }

  /** A builder for {@code host:port}. */
  public static Builder forAddress(String host, int port) {
    return new Builder(host, port);
  }

  /** A builder for a target {@code host:port}, {@code [ipv6]:port} or {@code dns:///host:port}. */
  public static Builder forTarget(String target) {
    String t = target.startsWith("dns:///") ? target.substring("dns:///".length()) : target;
    int colon = t.lastIndexOf(':');
    if (colon <= 0 || colon == t.length() - 1 || t.startsWith("[") && t.indexOf(']') > colon) {
      throw new IllegalArgumentException("target '" + target + "': expected host:port");
    }
    String host = t.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(t.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("target '" + target + "': bad port '" + t.substring(colon + 1) + "'");
    }
    return new Builder(host, port);
  }

  private static String authority(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  private static String stripPort(String authority) {
    int colon = authority.lastIndexOf(':');
    return colon > 0 && authority.indexOf(']') < colon && authority.indexOf(':') == colon
        ? authority.substring(0, colon) : authority;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(MethodDescriptor<ReqT, RespT> method, CallOptions options) {
    return intercepted.newCall(method, options);
  }

  @Override
  public String authority() {
    return config.authority.toString();
  }

  CompletableFuture<ClientHandler> acquireConnection() {
    return connections.acquire();
  }

  /** Refuses new calls; connections close once their calls end. Returns at once. */
  public ClientChannel shutdown() {
    connections.shutdown();
    return this;
  }

  /** Closes every connection now; open calls fail UNAVAILABLE. Returns at once. */
  public ClientChannel shutdownNow() {
    connections.shutdownNow();
    return this;
  }

  public boolean isTerminated() {
    return connections.terminated().isDone();
  }

  /** Waits until every connection has closed after a shutdown; returns whether they have. */
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    try {
      connections.terminated().get(timeout, unit);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Builds a {@link ClientChannel}: plaintext unless {@link #tls} is set. */
  public static final class Builder {
    private final String host;
    private final int port;
    private ClientTls tls;
    private EventLoopGroup group;
    private Executor executor;
    private final List<ClientInterceptor> interceptors = new ArrayList<>();
    private final List<Codec> codecs = new ArrayList<>();
    private int maxInboundMessageSize = Http2Limits.DEFAULT_MAX_INBOUND_MESSAGE_SIZE;
    private int maxHeaderListSize = Http2Limits.DEFAULT_MAX_HEADER_LIST_SIZE;
    private int flowControlWindow = Http2Limits.DEFAULT_FLOW_CONTROL_WINDOW;
    private int connectTimeoutMillis = 20_000;
    private String userAgent;

    private Builder(String host, int port) {
      this.host = Objects.requireNonNull(host, "host");
      if (port <= 0 || port > 65535) {
        throw new IllegalArgumentException("port: must be 1-65535, got " + port);
      }
      this.port = port;
    }

    /** Plaintext HTTP/2 with prior knowledge (the default). */
    public Builder usePlaintext() {
      this.tls = null;
      return this;
    }

    public Builder tls(ClientTls tls) {
      this.tls = Objects.requireNonNull(tls);
      return this;
    }

    /** Event loops for connections; must outlive the channel. */
    public Builder eventLoopGroup(EventLoopGroup group) {
      this.group = group;
      return this;
    }

    /** Default executor for call callbacks. */
    public Builder executor(Executor executor) {
      this.executor = executor;
      return this;
    }

    /** Interceptors around every call; the first one added runs first. */
    public Builder intercept(ClientInterceptor... interceptors) {
      this.interceptors.addAll(List.of(interceptors));
      return this;
    }

    public Builder codec(Codec codec) {
      codecs.add(Objects.requireNonNull(codec));
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

    public Builder connectTimeout(long timeout, TimeUnit unit) {
      this.connectTimeoutMillis = positive("connectTimeout", (int) Math.min(Integer.MAX_VALUE, unit.toMillis(timeout)));
      return this;
    }

    /** Prepended to Rill's own {@code user-agent}. */
    public Builder userAgent(String userAgent) {
      this.userAgent = userAgent;
      return this;
    }

    public ClientChannel build() {
      return new ClientChannel(this);
    }

    private static int positive(String name, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + ": must be positive, got " + value);
      }
      return value;
    }
  }
}
