package dev.rill.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadBatchTest {
  private final EventExecutor eventLoop = new DefaultEventExecutor();
  private final ReadBatch batch = new ReadBatch(eventLoop);
  private final AtomicInteger submissions = new AtomicInteger();
  /** Runs drains inline, counting them. */
  private final Executor counting = task -> {
    submissions.incrementAndGet();
    task.run();
  };
  private final List<String> ran = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws Exception {
    eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
  }

  private <T> T onEventLoop(Callable<T> task) throws Exception {
    return eventLoop.submit(task).get(5, TimeUnit.SECONDS);
  }

  @Test
  void callbacksRaisedDuringAReadRunWhenItEndsWithOneSubmissionPerCall() throws Exception {
    SerializingExecutor first = new SerializingExecutor(counting);
    SerializingExecutor second = new SerializingExecutor(counting);
    onEventLoop(() -> {
      batch.begin();
      batch.execute(first, () -> ran.add("first headers"));
      batch.execute(second, () -> ran.add("second headers"));
      batch.execute(first, () -> ran.add("first message"));
      batch.execute(second, () -> ran.add("second message"));
      batch.execute(first, () -> ran.add("first end"));
      ran.add("read over");
      batch.end();
      return null;
    });

    assertEquals(List.of("read over", "first headers", "first message", "first end",
        "second headers", "second message"), ran);
    assertEquals(2, submissions.get());
  }

  @Test
  void callbacksRaisedOutsideAReadAreScheduledAtOnce() throws Exception {
    SerializingExecutor call = new SerializingExecutor(counting);
    onEventLoop(() -> {
      batch.execute(call, () -> ran.add("deadline"));
      ran.add("after");
      return null;
    });

    assertEquals(List.of("deadline", "after"), ran);
  }

  @Test
  void callbacksFromAnotherThreadDuringAReadAreScheduledAtOnce() throws Exception {
    SerializingExecutor call = new SerializingExecutor(counting);
    onEventLoop(() -> {
      batch.begin();
      return null;
    });
    batch.execute(call, () -> ran.add("application thread"));
    assertEquals(List.of("application thread"), ran);
    onEventLoop(() -> {
      batch.end();
      return null;
    });
  }

  @Test
  void aSecondReadHoldsCallbacksAgainAfterTheFirstEnded() throws Exception {
    SerializingExecutor call = new SerializingExecutor(counting);
    onEventLoop(() -> {
      batch.begin();
      batch.execute(call, () -> ran.add("one"));
      batch.end();
      batch.begin();
      batch.execute(call, () -> ran.add("two"));
      ran.add("second read over");
      batch.end();
      return null;
    });

    assertEquals(List.of("one", "second read over", "two"), ran);
    assertEquals(2, submissions.get());
  }

  @Test
  void aNestedReadLeavesTheBatchToTheOutermostOne() throws Exception {
    SerializingExecutor callbacks = new SerializingExecutor(counting);
    onEventLoop(() -> {
      assertTrue(batch.begin());
      assertFalse(batch.begin(), "a read inside a read is not the outermost");
      batch.execute(callbacks, () -> ran.add("event"));
      assertEquals(0, submissions.get(), "held while the outermost read runs");
      batch.end();
      return null;
    });
    assertEquals(1, submissions.get());
    assertEquals(List.of("event"), ran);
  }
}
