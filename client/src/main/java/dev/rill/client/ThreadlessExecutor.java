package dev.rill.client;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Runs a blocking call's callbacks on the very thread that waits for it, saving a thread hop per call.
 * Tasks queue from any thread; only the waiting thread runs them.
 */
final class ThreadlessExecutor implements Executor {
  private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
  }

  /** Waits for at least one task, then runs every queued task. */
  void waitAndDrain() throws InterruptedException {
    tasks.take().run();
    drain();
  }

  /** Runs every queued task without waiting. */
  void drain() {
    for (Runnable task; (task = tasks.poll()) != null; ) {
      task.run();
    }
  }
}
