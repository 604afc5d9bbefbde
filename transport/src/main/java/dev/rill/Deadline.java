package dev.rill;

import java.util.concurrent.TimeUnit;

/**
 * A point in time, on the {@link System#nanoTime()} clock, by which an RPC must finish. Immutable.
 */
public final class Deadline implements Comparable<Deadline> {
  /** Far enough that "no deadline" maths never overflows; about 292 years. */
  private static final long MAX_NANOS = Long.MAX_VALUE / 2;

  private final long deadlineNanos;

  private Deadline(long deadlineNanos) {
    this.deadlineNanos = deadlineNanos;
  }

  /** A deadline {@code duration} from now; negative durations give an already expired deadline. */
  public static Deadline after(long duration, TimeUnit unit) {
    long nanos = Math.max(-MAX_NANOS, Math.min(MAX_NANOS, unit.toNanos(duration)));
    return new Deadline(System.nanoTime() + nanos);
  }

  /** Nanoseconds left, negative if expired. */
  public long remainingNanos() {
    return deadlineNanos - System.nanoTime();
  }

  /** Time left in {@code unit}, rounded down, negative if expired. */
  public long timeRemaining(TimeUnit unit) {
    return unit.convert(remainingNanos(), TimeUnit.NANOSECONDS);
  }

  public boolean isExpired() {
    return remainingNanos() <= 0;
  }

  /** Whichever of the two expires first. */
  public Deadline earliest(Deadline other) {
    return other == null || compareTo(other) <= 0 ? this : other;
  }

  @Override
  public int compareTo(Deadline o) {
    return Long.compare(deadlineNanos - o.deadlineNanos, 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Deadline && ((Deadline) o).deadlineNanos == deadlineNanos;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(deadlineNanos);
  }

  @Override
  public String toString() {
    long remaining = remainingNanos();
    return "Deadline[" + (remaining < 0 ? "expired " + (-remaining) / 1_000_000 + " ms ago"
        : remaining / 1_000_000 + " ms from now") + "]";
  }
}
