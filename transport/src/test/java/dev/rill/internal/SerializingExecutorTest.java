package dev.rill.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class SerializingExecutorTest {
  /** Holds submitted drains until the test runs them, counting submissions. */
  private static final class ManualExecutor implements Executor {
    final Queue<Runnable> submitted = new ArrayDeque<>();
    int submissions;

    @Override
    public void execute(Runnable command) {
      submissions++;
      submitted.add(command);
    }

    void runAll() {
      for (Runnable r; (r = submitted.poll()) != null; ) {
        r.run();
      }
    }
  }

  private final ManualExecutor delegate = new ManualExecutor();
  private final SerializingExecutor executor = new SerializingExecutor(delegate);
  private final List<String> ran = new ArrayList<>();

  @Test
  void enqueuedTasksWaitForFlushThenRunInOrderInOneSubmission() {
    executor.enqueue(() -> ran.add("a"));
    executor.enqueue(() -> ran.add("b"));
    executor.enqueue(() -> ran.add("c"));
    assertEquals(0, delegate.submissions);

    executor.flush();
    delegate.runAll();

    assertEquals(List.of("a", "b", "c"), ran);
    assertEquals(1, delegate.submissions);
  }

  @Test
  void enqueueAsksForAFlushOnlyOnceUntilTheFlush() {
    assertTrue(executor.enqueue(() -> ran.add("a")));
    assertFalse(executor.enqueue(() -> ran.add("b")));
    executor.flush();
    assertTrue(executor.enqueue(() -> ran.add("c")));
    executor.flush();
    delegate.runAll();
    assertEquals(List.of("a", "b", "c"), ran);
  }

  @Test
  void executeAfterEnqueueRunsTheEnqueuedTasksFirstAndTheLaterFlushSubmitsNothing() {
    executor.enqueue(() -> ran.add("enqueued"));
    executor.execute(() -> ran.add("executed"));
    delegate.runAll();
    executor.flush();

    assertEquals(List.of("enqueued", "executed"), ran);
    assertEquals(1, delegate.submissions);
    assertTrue(delegate.submitted.isEmpty());
  }

  @Test
  void flushWhileADrainIsScheduledSubmitsNoSecondDrain() {
    executor.execute(() -> ran.add("a"));
    executor.enqueue(() -> ran.add("b"));
    executor.flush();
    delegate.runAll();

    assertEquals(List.of("a", "b"), ran);
    assertEquals(1, delegate.submissions);
  }

  @Test
  void withADirectExecutorFlushRunsTheTasksInlineInOrder() {
    SerializingExecutor direct = new SerializingExecutor(Runnable::run);
    direct.enqueue(() -> ran.add("a"));
    direct.enqueue(() -> direct.execute(() -> ran.add("c, queued by b")));
    direct.enqueue(() -> ran.add("b"));
    assertEquals(List.of(), ran);

    direct.flush();

    assertEquals(List.of("a", "b", "c, queued by b"), ran);
  }

  @Test
  void flushWithNothingEnqueuedSubmitsNothing() {
    executor.flush();
    assertEquals(0, delegate.submissions);
  }
}
