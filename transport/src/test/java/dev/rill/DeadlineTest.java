package dev.rill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeadlineTest {

  @Test
  void aDeadlineInTheFutureHasTimeLeft() {
    Deadline d = Deadline.after(10, TimeUnit.SECONDS);
    assertFalse(d.isExpired());
    long remaining = d.remainingNanos();
    assertTrue(remaining > TimeUnit.SECONDS.toNanos(9) && remaining <= TimeUnit.SECONDS.toNanos(10),
        "remaining " + remaining);
    assertTrue(d.timeRemaining(TimeUnit.MILLISECONDS) <= 10_000);
    assertTrue(d.toString().matches("Deadline\\[\\d+ ms from now]"), d.toString());
  }

  @Test
  void zeroAndNegativeDurationsAreAlreadyExpired() {
    assertTrue(Deadline.after(0, TimeUnit.NANOSECONDS).isExpired());
    Deadline past = Deadline.after(-5, TimeUnit.SECONDS);
    assertTrue(past.isExpired());
    assertTrue(past.remainingNanos() <= -TimeUnit.SECONDS.toNanos(5));
    assertTrue(past.toString().matches("Deadline\\[expired \\d+ ms ago]"), past.toString());
  }

  @Test
  void extremeDurationsSaturateWithoutOverflowing() {
    Deadline far = Deadline.after(Long.MAX_VALUE, TimeUnit.DAYS);
    assertFalse(far.isExpired());
    assertTrue(far.remainingNanos() > Long.MAX_VALUE / 4, "about 292 years: " + far.remainingNanos());
    Deadline farPast = Deadline.after(Long.MIN_VALUE, TimeUnit.DAYS);
    assertTrue(farPast.isExpired());
    assertTrue(farPast.compareTo(far) < 0);
    assertTrue(far.compareTo(farPast) > 0);
    assertSame(farPast, far.earliest(farPast));
  }

  @Test
  void comparesByExpiry() {
    Deadline soon = Deadline.after(1, TimeUnit.SECONDS);
    Deadline later = Deadline.after(1, TimeUnit.HOURS);
    assertTrue(soon.compareTo(later) < 0);
    assertTrue(later.compareTo(soon) > 0);
    assertEquals(0, soon.compareTo(soon));
    assertEquals(soon, soon);
    assertNotEquals(soon, later);
  }

  @Test
  void earliestPicksWhicheverExpiresFirst() {
    Deadline soon = Deadline.after(1, TimeUnit.SECONDS);
    Deadline later = Deadline.after(1, TimeUnit.HOURS);
    assertSame(soon, soon.earliest(later));
    assertSame(soon, later.earliest(soon));
    assertSame(later, later.earliest(null));
  }

  @Test
  void reportsRemainingTimeInAnyUnitRoundedTowardsZero() {
    Deadline d = Deadline.after(90, TimeUnit.MINUTES);
    assertEquals(1, d.timeRemaining(TimeUnit.HOURS));
    long minutes = d.timeRemaining(TimeUnit.MINUTES);
    assertTrue(minutes == 89 || minutes == 90, "minutes " + minutes);
  }
}
