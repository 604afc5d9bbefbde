package dev.rill.internal;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;

/**
 * Holds back the call callbacks one inbound buffer raises until the connection handler has decoded all
 * of it, then schedules each call once: headers, DATA and END_STREAM that arrive together cost one
 * executor hand-off instead of one per event. Events raised outside a read (timers, write
 * completions, application threads) are scheduled at once.
 *
 * <p>The batch is scoped to the handler's {@code channelRead}, not ended by {@code channelReadComplete}:
 * Netty does not promise a read-complete after every read (SslHandler may hand decrypted data on in a
 * task of its own), and a batch left open would hold every later callback of the connection.
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

  /** A handler's channelRead, run by {@link #during}. */
  public interface Read {
    void run() throws Exception;
  }

  /** Runs a handler's channelRead as a batch, or inside the batch of a read it is nested in. */
  public void during(Read read) throws Exception {
    boolean outermost = begin();
    try {
      read.run();
    } finally {
      if (outermost) {
        end();
      }
    }
  }

  /** A read begins; true if it is the outermost one, which must {@link #end} it. */
  boolean begin() {
    assert eventLoop.inEventLoop();
    if (reading) {
      return false;
    }
    reading = true;
    return true;
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

  /** The outermost read returned: schedules every call that got events during it. */
  void end() {
    assert eventLoop.inEventLoop();
    reading = false;
    try {
      // By index: with a direct executor a flushed task runs here and could, in principle, start a
      // nested read that holds more executors; they are flushed before the list is cleared.
      for (int i = 0; i < held.size(); i++) {
        held.get(i).flush();
      }
    } finally {
      held.clear();
    }
  }
}
