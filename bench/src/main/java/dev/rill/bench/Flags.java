package dev.rill.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Command-line flags in grpc-java's benchmark style: {@code --name=value}, and {@code --name} alone
 * for a boolean. Unknown flags are errors, so a typo never silently runs a different benchmark.
 */
final class Flags {
  private final Map<String, String> values = new LinkedHashMap<>();

  private Flags() {}

  /** Parses {@code args}, accepting only the names in {@code known}. */
  static Flags parse(String[] args, Set<String> known) {
    Flags flags = new Flags();
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "': flags look like --name=value");
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown flag --" + name + " (known: --" + String.join(", --", known) + ")");
      }
      flags.values.put(name, eq < 0 ? "" : arg.substring(eq + 1));
    }
    return flags;
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  String string(String name, String defaultValue) {
    String v = values.get(name);
    return v == null || v.isEmpty() ? defaultValue : v;
  }

  int integer(String name, int defaultValue) {
    String v = values.get(name);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + ": not an integer '" + v + "'");
    }
  }

  /** Seconds, fractions allowed (a smoke test runs for a fraction of one). */
  double seconds(String name, double defaultValue) {
    String v = values.get(name);
    if (v == null) {
      return defaultValue;
    }
    try {
      double s = Double.parseDouble(v);
      if (s < 0) {
        throw new NumberFormatException();
      }
      return s;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + ": not a non-negative number of seconds '" + v + "'");
    }
  }

  /** {@code --name} and {@code --name=true} are true; absent or {@code --name=false} false. */
  boolean bool(String name) {
    String v = values.get(name);
    return v != null && (v.isEmpty() || Boolean.parseBoolean(v));
  }
}
