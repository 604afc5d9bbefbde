package dev.rill.interop;

import dev.rill.StatusException;
import dev.rill.client.ClientChannel;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.TestServiceRill;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * rpc_soak and channel_soak: many large unary calls on one channel, or each on a new channel. An
 * iteration fails when its call fails or takes longer than the per-iteration latency budget; the case
 * fails when more iterations failed than allowed, or when the overall time ran out before every
 * iteration ran. Iterations are spread over {@code --soak_num_threads} threads.
 */
final class SoakCase {
  private final ClientSettings s;
  private final boolean newChannelPerIteration;
  private final String name;

  SoakCase(ClientSettings settings, boolean newChannelPerIteration) {
    this.s = settings;
    this.newChannelPerIteration = newChannelPerIteration;
    this.name = newChannelPerIteration ? "channel_soak" : "rpc_soak";
  }

  void run() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(s.soakOverallTimeoutSeconds);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    List<String> failures = new ArrayList<>();
    ClientChannel shared = newChannelPerIteration ? null : s.newChannel();
    ExecutorService threads = Executors.newFixedThreadPool(Math.max(1, s.soakThreads));
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < Math.max(1, s.soakThreads); t++) {
        workers.add(threads.submit(() -> {
          int i;
          while ((i = next.getAndIncrement()) < s.soakIterations && System.nanoTime() < deadline) {
            String failure = iteration(shared);
            done.incrementAndGet();
            if (failure != null) {
              synchronized (failures) {
                failures.add("iteration " + i + ": " + failure);
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> w : workers) {
        w.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(name + ": interrupted");
    } catch (ExecutionException e) {
      throw new AssertionError(name + ": a soak thread failed: " + e.getCause(), e.getCause());
    } finally {
      threads.shutdownNow();
      if (shared != null) {
        shared.shutdownNow();
      }
    }
    Check.isTrue(done.get() >= s.soakIterations, name + ": only " + done.get() + " of " + s.soakIterations
        + " iterations ran within --soak_overall_timeout_seconds=" + s.soakOverallTimeoutSeconds);
    Check.isTrue(failures.size() <= s.soakMaxFailures, name + ": " + failures.size() + " iterations failed, at most "
        + s.soakMaxFailures + " allowed: " + failures);
  }

  /** One call; returns why it failed, or null. Keeps at least the minimum time between calls. */
  private String iteration(ClientChannel shared) {
    long start = System.nanoTime();
    ClientChannel channel = shared != null ? shared : s.newChannel();
    String failure = null;
    try {
      SimpleRequest request = TestCases.largeRequest(s.soakRequestSize, s.soakResponseSize);
      SimpleResponse response = TestServiceRill.newBlockingStub(channel).unaryCall(request);
      TestCases.checkPayload(response.getPayload().getBody(), s.soakResponseSize, name);
    } catch (StatusException e) {
      failure = "status " + e.status();
    } catch (AssertionError e) {
      failure = e.getMessage();
    } finally {
      if (shared == null) {
        channel.shutdownNow();
      }
    }
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    if (failure == null && elapsedMs > s.soakMaxLatencyMs) {
      failure = "took " + elapsedMs + " ms, over --soak_per_iteration_max_acceptable_latency_ms="
          + s.soakMaxLatencyMs;
    }
    long wait = s.soakMinTimeBetweenRpcsMs - elapsedMs;
    if (wait > 0) {
      try {
        TimeUnit.MILLISECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return failure;
  }
}
