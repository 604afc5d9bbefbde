package dev.rill;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The deadline and cancellation of the RPC a thread is working for, so that the calls a handler makes
 * inherit both: a client call started while a context is {@link #current()} gets the context's
 * deadline (or an earlier one of its own) and is cancelled when the context is.
 *
 * <p>The server attaches a call's context to the thread while the call's callbacks run. Contexts are
 * immutable apart from cancellation, which happens once; thread-safe.
 */
public class CallContext {
  /** The context of no RPC: no deadline, never cancelled. */
  public static final CallContext ROOT = new CallContext(null, null);

  private static final ThreadLocal<CallContext> CURRENT = new ThreadLocal<>();

  private final CallContext parent;
  private final Deadline deadline;

  CallContext(CallContext parent, Deadline deadline) {
    this.parent = parent;
    this.deadline = deadline;
  }

  /** The context attached to this thread, or {@link #ROOT}. */
  public static CallContext current() {
    CallContext c = CURRENT.get();
    return c != null ? c : ROOT;
  }

  /** A cancellable child of this context with {@code deadline} (or this context's, if earlier). */
  public Cancellable withDeadline(Deadline deadline) {
    return new Cancellable(this, deadline == null ? this.deadline : deadline.earliest(this.deadline));
  }

  /** A cancellable child of this context with the same deadline. */
  public Cancellable withCancellation() {
    return new Cancellable(this, deadline);
  }

  /** The deadline, or {@code null} if there is none. */
  public Deadline deadline() {
    return deadline;
  }

  /** Whether this context or an ancestor has been cancelled. */
  public boolean isCancelled() {
    return cancellationStatus() != null;
  }

  /** The reason this context was cancelled, or {@code null}. */
  public Status cancellationStatus() {
    return parent != null ? parent.cancellationStatus() : null;
  }

  /**
   * Runs {@code listener} once when this context is cancelled (at once, on this thread, if it already
   * is). Listeners run on the thread that cancels; keep them short.
   */
  public void addListener(Runnable listener) {
    if (parent != null) {
      parent.addListener(listener);
    }
  }

  /** Removes a listener added with {@link #addListener}. */
  public void removeListener(Runnable listener) {
    if (parent != null) {
      parent.removeListener(listener);
    }
  }

  /** Runs {@code task} with this context attached to the current thread. */
  public void run(Runnable task) {
    CallContext previous = attach();
    try {
      task.run();
    } finally {
      detach(previous);
    }
  }

  /** Calls {@code task} with this context attached to the current thread. */
  public <T> T call(Callable<T> task) throws Exception {
    CallContext previous = attach();
    try {
      return task.call();
    } finally {
      detach(previous);
    }
  }

  /** Attaches this context to the current thread; returns the one it replaced, for {@link #detach}. */
  public CallContext attach() {
    CallContext previous = CURRENT.get();
    CURRENT.set(this);
    return previous;
  }

  /** Restores {@code previous} (from {@link #attach}). */
  public void detach(CallContext previous) {
    // set(null), not remove(): a removed entry is allocated again by the next attach's get().
    CURRENT.set(previous == ROOT ? null : previous);
  }

  /** A context that can be cancelled, with everything derived from it. */
  public static final class Cancellable extends CallContext {
    private final Object lock = new Object();
    private List<Runnable> listeners;
    private volatile Status status;
    /**
     * Null when the parent can never be cancelled, the case of every server call: only ROOT is not a
     * Cancellable (CallContext's constructor is package-private and Cancellable is final).
     */
    private final Runnable parentListener;

    Cancellable(CallContext parent, Deadline deadline) {
      super(parent, deadline);
      if (parent instanceof Cancellable) {
        this.parentListener = () -> cancel(parent.cancellationStatus());
        parent.addListener(parentListener);
      } else {
        this.parentListener = null;
      }
    }

    @Override
    public Status cancellationStatus() {
      return status;
    }

    @Override
    public void addListener(Runnable listener) {
      synchronized (lock) {
        if (status == null) {
          if (listeners == null) {
            listeners = new ArrayList<>(2);
          }
          listeners.add(listener);
          return;
        }
      }
      listener.run();
    }

    @Override
    public void removeListener(Runnable listener) {
      synchronized (lock) {
        if (listeners != null) {
          listeners.remove(listener);
        }
      }
    }

    /** Cancels this context with {@code status}; returns false if it was already cancelled. */
    public boolean cancel(Status status) {
      List<Runnable> toRun;
      synchronized (lock) {
        if (this.status != null) {
          return false;
        }
        this.status = status == null ? Status.CANCELLED : status;
        toRun = listeners;
        listeners = null;
      }
      detachFromParent();
      if (toRun != null) {
        for (Runnable r : toRun) {
          r.run();
        }
      }
      return true;
    }

    /** Stops following the parent's cancellation; call when the work this context covers is done. */
    public void detachFromParent() {
      CallContext p = parentContext();
      if (p != null && parentListener != null) {
        p.removeListener(parentListener);
      }
    }
  }

  CallContext parentContext() {
    return parent;
  }
}
