package dev.rill.interop;

import dev.rill.Status;
import dev.rill.StatusException;
import java.util.Objects;

/**
 * The assertions of the interop cases. A failure is an {@link AssertionError} whose message names
 * the check, which is what {@code interop-client} prints and the matrix shows.
 */
final class Check {
  private Check() {}

  static void isTrue(boolean condition, String check) {
    if (!condition) {
      throw new AssertionError(check);
    }
  }

  static void equal(Object expected, Object actual, String check) {
    if (!Objects.equals(expected, actual)) {
      throw new AssertionError(check + ": expected " + brief(expected) + " but got " + brief(actual));
    }
  }

  /** {@code call} must fail with {@code code}; returns the failure for further checks. */
  static StatusException fails(Status.Code code, String check, Runnable call) {
    try {
      call.run();
    } catch (StatusException e) {
      equal(code, e.status().code(), check + " (status " + e.status() + ")");
      return e;
    }
    throw new AssertionError(check + ": expected " + code + " but the call succeeded");
  }

  private static String brief(Object o) {
    String s = String.valueOf(o).replace('\n', ' ');
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
