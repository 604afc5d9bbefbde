package dev.rill.internal;

import java.util.concurrent.TimeUnit;

/**
 * The {@code grpc-timeout} header: {@code TimeoutValue TimeoutUnit}, at most 8 ASCII digits followed by
 * one of {@code H M S m u n} (PROTOCOL-HTTP2.md).
 */
public final class GrpcTimeout {
  private static final long MAX_VALUE = 99_999_999L;
  /** Nanoseconds per unit, finest first; encode runs on every call with a deadline. */
  private static final long[] DIVISORS = {1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L, 3_600_000_000_000L};
  private static final char[] UNITS = {'u', 'm', 'S', 'M', 'H'};

  private GrpcTimeout() {}

  /**
   * Encodes a positive timeout in the finest unit whose value fits in 8 digits, rounding up so the
   * peer never sees less time than the caller had. Zero or negative becomes {@code 1n}.
   */
  public static String encode(long nanos) {
    if (nanos <= 0) {
      return "1n";
    }
    if (nanos <= MAX_VALUE) {
      return nanos + "n";
    }
    for (int i = 0; i < DIVISORS.length; i++) {
      long value = ceilDiv(nanos, DIVISORS[i]);
      if (value <= MAX_VALUE) {
        return value + String.valueOf(UNITS[i]);
      }
    }
    return MAX_VALUE + "H";
  }

  /**
   * Decodes a header value into nanoseconds (saturating at {@link Long#MAX_VALUE}).
   *
   * @throws IllegalArgumentException naming the failed check, e.g. {@code grpc-timeout: bad unit 'x'}
   */
  public static long decode(CharSequence value) {
    int len = value.length();
    if (len < 2) {
      throw new IllegalArgumentException("grpc-timeout: too short '" + value + "'");
    }
    if (len > 9) {
      throw new IllegalArgumentException("grpc-timeout: more than 8 digits in '" + value + "'");
    }
    long amount = 0;
    for (int i = 0; i < len - 1; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("grpc-timeout: bad digit '" + c + "' in '" + value + "'");
      }
      amount = amount * 10 + (c - '0');
    }
    char unit = value.charAt(len - 1);
    TimeUnit timeUnit;
    switch (unit) {
      case 'n':
        return amount;
      case 'u':
        timeUnit = TimeUnit.MICROSECONDS;
        break;
      case 'm':
        timeUnit = TimeUnit.MILLISECONDS;
        break;
      case 'S':
        timeUnit = TimeUnit.SECONDS;
        break;
      case 'M':
        timeUnit = TimeUnit.MINUTES;
        break;
      case 'H':
        timeUnit = TimeUnit.HOURS;
        break;
      default:
        throw new IllegalArgumentException("grpc-timeout: bad unit '" + unit + "'");
    }
    return timeUnit.toNanos(amount);
  }

  /** For a >= 0, b > 0; unlike (a + b - 1) / b it cannot overflow near Long.MAX_VALUE. */
  private static long ceilDiv(long a, long b) {
    return a / b + (a % b == 0 ? 0 : 1);
  }
}
