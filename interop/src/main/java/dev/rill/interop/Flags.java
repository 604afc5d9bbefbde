package dev.rill.interop;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Command-line flags in the form every gRPC interop binary takes: {@code --name=value} only. Unknown
 * flags are errors, so a typo never silently runs the default.
 */
final class Flags {
  private final Map<String, String> values = new LinkedHashMap<>();

  private Flags() {}

  /** Parses {@code args}; throws {@link IllegalArgumentException} naming the first bad one. */
  static Flags parse(String[] args, Set<String> known) {
    Flags flags = new Flags();
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("argument '" + arg + "' must start with '--'");
      }
      String[] parts = arg.substring(2).split("=", 2);
      if (parts.length != 2) {
        throw new IllegalArgumentException("argument '" + arg + "' must be of the form --name=value");
      }
      if (!known.contains(parts[0])) {
        throw new IllegalArgumentException("unknown flag --" + parts[0] + " (known: " + known + ")");
      }
      flags.values.put(parts[0], parts[1]);
    }
    return flags;
  }

  String get(String name, String defaultValue) {
    return values.getOrDefault(name, defaultValue);
  }

  int getInt(String name, int defaultValue) {
    String v = values.get(name);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + ": not an integer: '" + v + "'");
    }
  }

  boolean getBoolean(String name, boolean defaultValue) {
    String v = values.get(name);
    if (v == null) {
      return defaultValue;
    }
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException("--" + name + ": expected true or false, got '" + v + "'");
    }
    return Boolean.parseBoolean(v);
  }
}
