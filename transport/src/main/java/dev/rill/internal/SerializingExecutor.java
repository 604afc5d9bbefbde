package dev.rill.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs tasks one at a time, in submission order, on a delegate executor: the callbacks of one call
 * never overlap and never reorder, while different calls run in parallel. Thread-safe, except that
 * {@link #enqueue} and {@link #flush} belong to one batching thread (see {@link ReadBatch}).
 */
public final class SerializingExecutor implements Executor, Runnable {
  private static final Logger log = Logger.getLogger(SerializingExecutor.class.getName());

  private final Executor delegate;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  /** True from the moment a drain is scheduled until it finds the queue empty. */
  private final AtomicBoolean draining = new AtomicBoolean();
  /** Tasks were {@link #enqueue enqueued} and {@link #flush} has not run since; event-loop owned. */
  private boolean awaitingFlush;

  public SerializingExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    schedule();
  }

  /**
   * Queues {@code task} without scheduling it: it runs after the next {@link #flush} (or sooner, if a
   * drain is already under way). For a single batching thread, the connection's event loop. Returns
   * true if this is the first task since the last flush, so the caller knows to flush once.
   */
  public boolean enqueue(Runnable task) {
    tasks.add(task);
    if (awaitingFlush) {
      return false;
    }
    awaitingFlush = true;
    return true;
  }

  /** Schedules the tasks {@link #enqueue enqueued} so far; the batching thread only. */
  public void flush() {
    awaitingFlush = false;
    if (!tasks.isEmpty()) {
      schedule();
    }
  }

  private void schedule() {
    if (draining.compareAndSet(false, true)) {
      try {
        delegate.execute(this);
      } catch (RejectedExecutionException e) {
        // The application shut its executor down with calls still open. Dropping the tasks would
        // leak the buffers they hold and lose the calls' final callbacks, so they run here instead.
        log.log(Level.FINE, "executor rejected call callbacks; running them on the calling thread", e);
        run();
      }
    }
  }

  @Override
  public void run() {
    try {
      for (Runnable task; (task = tasks.poll()) != null; ) {
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          log.log(Level.SEVERE, "call callback threw", e);
        }
      }
    } finally {
      draining.set(false);
    }
    if (!tasks.isEmpty()) {
      schedule();
    }
  }
}
