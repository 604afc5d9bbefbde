package dev.rill.bench;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The executor of Rill's bench server and load client unless {@code --directexecutor}: what grpc-java's
 * AsyncServer and AsyncClient configure for themselves (a ForkJoinPool of nproc threads in async, FIFO,
 * mode), so the "default executor" rows compare the two runtimes under one executor rather than two.
 * Rill's library default, a cached pool that a blocking handler cannot starve, is not what either
 * benchmark program uses.
 */
final class BenchExecutor {
  private BenchExecutor() {}

  static ForkJoinPool pool() {
    return Holder.POOL;
  }

  private static final class Holder {
    static final ForkJoinPool POOL = new ForkJoinPool(Runtime.getRuntime().availableProcessors(), pool -> {
      ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
      t.setName("bench-app-" + t.getId());
      return t;
    }, null, true);
  }
}
