package dev.rill.client;

import dev.rill.Status;
import dev.rill.internal.Transports;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a channel's one usable connection: connects on the first call, reconnects on the next call
 * after a loss, backs off exponentially after failed attempts (1 s, x1.6, +-20 % jitter, at most
 * 120 s, as grpc-java and grpc-go), and moves new calls to a fresh connection after GOAWAY.
 *
 * <p>Thread-safe: every method takes the manager's lock.
 */
final class ConnectionManager {
  private static final long INITIAL_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(120);
  private static final double MULTIPLIER = 1.6;
  private static final double JITTER = 0.2;

  private final ClientConfig config;
  /** Every connection still open, including draining and still-connecting ones, with its channel. */
  private final Map<ClientHandler, Channel> open = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private ClientHandler current;
  private CompletableFuture<ClientHandler> connecting;
  private long backoffNanos = INITIAL_BACKOFF_NANOS;
  private long nextAttemptNanos;
  private Status lastFailure;
  private boolean shutdown;

  ConnectionManager(ClientConfig config) {
    this.config = config;
  }

  /** A ready connection for a new call, or one being made; fails UNAVAILABLE while backing off. */
  synchronized CompletableFuture<ClientHandler> acquire() {
    if (shutdown) {
      return CompletableFuture.failedFuture(Status.UNAVAILABLE.withDescription("channel shut down").asException());
    }
    if (current != null && current.isUsable()) {
      return CompletableFuture.completedFuture(current);
    }
    current = null;
    if (connecting != null) {
      return connecting;
    }
    long wait = nextAttemptNanos - System.nanoTime();
    if (lastFailure != null && wait > 0) {
      return CompletableFuture.failedFuture(lastFailure.augmentDescription(
          "next connection attempt in " + TimeUnit.NANOSECONDS.toMillis(wait) + " ms").asException());
    }
    CompletableFuture<ClientHandler> attempt = connect();
    // The attempt may already be over: if the server's SETTINGS beat the registration of connected(),
    // connected() ran here, under this (reentrant) lock, and cleared connecting. Keeping the finished
    // future would hand a dead connection to later calls and keep the channel from terminating.
    connecting = attempt.isDone() ? null : attempt;
    return attempt;
  }

  private CompletableFuture<ClientHandler> connect() {
    ClientHandler handler = ClientHandler.create(config);
    CompletableFuture<ClientHandler> result = new CompletableFuture<>();
    Bootstrap bootstrap = new Bootstrap()
        .group(config.group)
        .channel(Transports.socketChannelType(config.group))
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, config.connectTimeoutMillis)
        .handler(new ClientInitializer(config, handler));
    ChannelFuture cf = bootstrap.connect(config.host, config.port);
    open.put(handler, cf.channel());
    Channel ch = cf.channel();
    ch.closeFuture().addListener(f -> {
      // Registered on the channel, not in the handler: a connection closed while TLS is still
      // handshaking never gets its HTTP/2 handler, and its waiting calls must fail all the same.
      // Deferred one event-loop turn: a failed handshake closes the channel before it reports why,
      // and that reason is the better message.
      ch.eventLoop().execute(() -> handler.ready.completeExceptionally(
          new IllegalStateException("connection closed before the server's HTTP/2 SETTINGS arrived")));
      closed(handler);
    });
    cf.addListener(f -> {
      if (!f.isSuccess()) {
        handler.ready.completeExceptionally(f.cause());
      }
    });
    handler.ready.whenComplete((h, failure) -> connected(handler, failure, result));
    return result;
  }

  private void connected(ClientHandler handler, Throwable failure, CompletableFuture<ClientHandler> result) {
    synchronized (this) {
      connecting = null;
      if (failure == null && !shutdown) {
        current = handler;
        backoffNanos = INITIAL_BACKOFF_NANOS;
        lastFailure = null;
      } else if (failure != null) {
        lastFailure = Status.UNAVAILABLE.withDescription("cannot connect to " + config.host + ":" + config.port
            + ": " + failure.getMessage()).withCause(failure);
        long jitter = (long) (backoffNanos * JITTER * (2 * ThreadLocalRandom.current().nextDouble() - 1));
        nextAttemptNanos = System.nanoTime() + backoffNanos + jitter;
        backoffNanos = Math.min(MAX_BACKOFF_NANOS, (long) (backoffNanos * MULTIPLIER));
      }
    }
    if (failure != null) {
      result.completeExceptionally(lastFailure.asException());
    } else if (shutdown) {
      handler.ctx().channel().eventLoop().execute(handler::shutdownWhenIdle);
      result.completeExceptionally(Status.UNAVAILABLE.withDescription("channel shut down").asException());
    } else {
      result.complete(handler);
    }
    maybeTerminated();
  }

  private void closed(ClientHandler handler) {
    synchronized (this) {
      open.remove(handler);
      if (current == handler) {
        current = null;
      }
    }
    maybeTerminated();
  }

  private synchronized void maybeTerminated() {
    if (shutdown && open.isEmpty() && connecting == null) {
      terminated.complete(null);
    }
  }

  /** No new calls; connections close once their calls end. */
  void shutdown() {
    synchronized (this) {
      shutdown = true;
    }
    for (ClientHandler h : open.keySet()) {
      if (h.ctx() != null) {
        h.ctx().channel().eventLoop().execute(h::shutdownWhenIdle);
      } else {
        h.ready.whenComplete((x, y) -> {
          if (h.ctx() != null) {
            h.ctx().channel().eventLoop().execute(h::shutdownWhenIdle);
          }
        });
      }
    }
    maybeTerminated();
  }

  /** Closes every connection now; open calls fail UNAVAILABLE. */
  void shutdownNow() {
    synchronized (this) {
      shutdown = true;
    }
    // The channel, not the handler: a connection still connecting or handshaking has no handler yet.
    for (Channel ch : open.values()) {
      ch.close();
    }
    maybeTerminated();
  }

  CompletableFuture<Void> terminated() {
    return terminated;
  }
}
