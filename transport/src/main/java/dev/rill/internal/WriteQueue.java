package dev.rill.internal;

import io.netty.channel.Channel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Batches writes from any thread onto a channel's event loop and flushes once per batch, so a unary
 * call's headers, message and trailers leave in one syscall. Thread-safe; commands run in order on the
 * event loop.
 */
public final class WriteQueue implements Runnable {
  private static final Logger log = Logger.getLogger(WriteQueue.class.getName());

  /** Flush at least this often within a long batch so the socket is never starved. */
  private static final int MAX_COMMANDS_PER_FLUSH = 128;

  private final Channel channel;
  private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  public WriteQueue(Channel channel) {
    this.channel = channel;
  }

  /** Queues {@code command} to run on the event loop, followed (eventually) by a flush. */
  public void enqueue(Runnable command) {
    commands.add(command);
    if (scheduled.compareAndSet(false, true)) {
      channel.eventLoop().execute(this);
    }
  }

  /** Drains the queue; runs on the event loop. */
  @Override
  public void run() {
    do {
      int n = 0;
      for (Runnable command; (command = commands.poll()) != null; ) {
        try {
          command.run();
        } catch (RuntimeException | Error e) {
          // One failed command must not strand the ones behind it (and the buffers they carry).
          log.log(Level.WARNING, "write command failed on " + channel, e);
        }
        if (++n == MAX_COMMANDS_PER_FLUSH) {
          channel.flush();
          n = 0;
        }
      }
      channel.flush();
      scheduled.set(false);
    } while (!commands.isEmpty() && scheduled.compareAndSet(false, true));
  }
}
