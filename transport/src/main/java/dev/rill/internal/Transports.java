package dev.rill.internal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Chooses the I/O transport (native epoll on Linux, NIO elsewhere or when {@code -Drill.transport=nio})
 * and holds the shared event loops and executor that servers and channels use by default. The shared
 * resources live as long as the JVM, on daemon threads.
 */
public final class Transports {
  /** Whether new event loop groups use native epoll. */
  public static final boolean EPOLL =
      !"nio".equalsIgnoreCase(System.getProperty("rill.transport")) && Epoll.isAvailable();

  /** Whether a group runs epoll, asked once per group. */
  private static final Map<EventLoopGroup, Boolean> EPOLL_GROUPS = Collections.synchronizedMap(new WeakHashMap<>());

  private Transports() {}

  /** A new event loop group of {@code threads} daemon threads named {@code name-N}. */
  public static EventLoopGroup newEventLoopGroup(int threads, String name) {
    DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
    return new MultiThreadIoEventLoopGroup(
        threads, factory, EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  /** The event loops servers and channels share unless given their own; one thread per core. */
  public static EventLoopGroup sharedEventLoopGroup() {
    return SharedEventLoops.GROUP;
  }

  /**
   * The executor for application callbacks unless the user picks one: a cached pool of daemon
   * threads, so a blocking handler takes a thread of its own and never an event loop.
   */
  public static Executor sharedExecutor() {
    return SharedExecutor.EXECUTOR;
  }

  public static Class<? extends ServerChannel> serverChannelType(EventLoopGroup group) {
    return isEpoll(group) ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  public static Class<? extends Channel> socketChannelType(EventLoopGroup group) {
    return isEpoll(group) ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  private static boolean isEpoll(EventLoopGroup group) {
    // Cached per group: isIoType takes one of the group's event loops (next()), and doing that on
    // every connect would put every connection's registration on the same loop of a two-loop group.
    return EPOLL_GROUPS.computeIfAbsent(group,
        g -> g instanceof IoEventLoopGroup && ((IoEventLoopGroup) g).isIoType(EpollIoHandler.class));
  }

  private static final class SharedEventLoops {
    static final EventLoopGroup GROUP =
        newEventLoopGroup(Runtime.getRuntime().availableProcessors(), "rill-io");
  }

  private static final class SharedExecutor {
    static final ExecutorService EXECUTOR = new ThreadPoolExecutor(
        0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
        new DefaultThreadFactory("rill-app", true));
  }
}
