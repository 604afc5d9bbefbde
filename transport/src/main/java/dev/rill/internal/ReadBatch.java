package dev.rill.internal;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;

/**
 * Holds back the call callbacks a connection's socket read raises until the read is complete, then
 * schedules each call once: headers, DATA and END_STREAM that arrive together cost one executor
 * hand-off instead of one per event. Events raised outside a read (timers, write completions,
 * application threads) are scheduled at once.
 *
 * <p>Owned by the connection's event loop; {@link #execute} may be called from any thread.
 */
public final class ReadBatch {
  private final EventExecutor eventLoop;
  /** Executors holding tasks of the current read; reused from read to read. */
  private final ArrayList<SerializingExecutor> held = new ArrayList<>();
  private boolean reading;

  public ReadBatch(EventExecutor eventLoop) {
    this.eventLoop = eventLoop;
  }

  /** A channelRead began: callbacks wait for {@link #readComplete}. */
  public void reading() {
    assert eventLoop.inEventLoop();
    reading = true;
  }

  /** Runs {@code task} on {@code callbacks}: after the current read if one is in progress, else now. */
  public void execute(SerializingExecutor callbacks, Runnable task) {
    // inEventLoop first: {@code reading} belongs to the event loop.
    if (eventLoop.inEventLoop() && reading) {
      if (callbacks.enqueue(task)) {
        held.add(callbacks);
      }
    } else {
      callbacks.execute(task);
    }
  }

  /**
   * The read is over (channelReadComplete), or the channel is going away (channelInactive,
   * handlerRemoved), which must not strand held tasks and the buffers they carry.
   */
  public void readComplete() {
    assert eventLoop.inEventLoop();
    reading = false;
    // By index: with a direct executor a flushed task runs here and could, in principle, start a
    // nested read that holds more executors; they are flushed before the list is cleared.
    for (int i = 0; i < held.size(); i++) {
      held.get(i).flush();
    }
    held.clear();
  }
}
