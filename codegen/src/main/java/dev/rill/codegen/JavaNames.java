package dev.rill.codegen;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Turns .proto identifiers into Java identifiers. */
final class JavaNames {
  private JavaNames() {}

  /**
   * Java's keywords and literals, plus {@code _} and {@code yield}: neither can name a method that
   * generated code calls unqualified (a method reference is fine, but users call them too).
   */
  static final Set<String> RESERVED = Set.of(
      "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
      "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float",
      "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native",
      "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
      "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void",
      "volatile", "while", "true", "false", "null", "_", "yield");

  /**
   * Methods the generated stubs and service base inherit (from {@code Object}, {@code AbstractStub}
   * and {@code BindableService}). An RPC method of the same name would overload or clash with them,
   * so it gets a trailing underscore like a keyword does.
   */
  static final Set<String> INHERITED_METHODS = Set.of(
      "getClass", "hashCode", "equals", "clone", "toString", "notify", "notifyAll", "wait", "finalize",
      "channel", "options", "build", "withDeadline", "withDeadlineAfter", "withCompression",
      "withMetadata", "withExecutor", "withInterceptors", "bindService");

  /**
   * The method name for an RPC: {@code SayHello} and {@code say_hello} become {@code sayHello}.
   * Underscores are dropped and the letter after one is capitalized; the first letter is lower case.
   * A name made only of underscores keeps them (it then needs escaping by the caller).
   */
  static String lowerCamel(String protoName) {
    StringBuilder sb = new StringBuilder(protoName.length());
    boolean upperNext = false;
    for (int i = 0; i < protoName.length(); i++) {
      char c = protoName.charAt(i);
      if (c == '_') {
        upperNext = sb.length() > 0;
      } else if (sb.length() == 0) {
        sb.append(Character.toLowerCase(c));
        upperNext = false;
      } else {
        sb.append(upperNext ? Character.toUpperCase(c) : c);
        upperNext = false;
      }
    }
    return sb.length() == 0 ? protoName : sb.toString();
  }

  /** {@code sayHello} becomes {@code SayHello}. */
  static String upperFirst(String name) {
    return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  /** {@code sayHello2Me} becomes {@code SAY_HELLO2_ME}: for constant names. */
  static String upperSnake(String camel) {
    StringBuilder sb = new StringBuilder(camel.length() + 8);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(camel.charAt(i - 1))
          && camel.charAt(i - 1) != '_') {
        sb.append('_');
      }
      sb.append(Character.toUpperCase(c));
    }
    return sb.toString();
  }

  /**
   * protobuf-java's conversion of a file name to a class name ({@code foo_bar-v2.proto} without its
   * extension becomes {@code FooBarV2}): ASCII letters and digits are kept, anything else is dropped
   * and capitalizes the next letter, as does a digit; the first letter is upper case.
   */
  static String protobufCamelCase(String input) {
    StringBuilder sb = new StringBuilder(input.length());
    boolean capNext = true;
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      if (c >= 'a' && c <= 'z') {
        sb.append(capNext ? (char) (c - 'a' + 'A') : c);
        capNext = false;
      } else if (c >= 'A' && c <= 'Z') {
        sb.append(c);
        capNext = false;
      } else if (c >= '0' && c <= '9') {
        sb.append(c);
        capNext = true;
      } else {
        capNext = true;
      }
    }
    return sb.toString();
  }

  /** Hands out names that are unique within one scope, appending underscores to later duplicates. */
  static final class Scope {
    private final Set<String> taken;

    Scope(List<Set<String>> reserved) {
      this.taken = new HashSet<>();
      reserved.forEach(taken::addAll);
    }

    /** {@code base}, or {@code base_}, {@code base__}... whichever is free first; then taken. */
    String claim(String base) {
      String name = base;
      while (!taken.add(name)) {
        name = name + "_";
      }
      return name;
    }

    /** {@code preferred} if it is free, else {@link #claim(String) claim(fallback)}. */
    String claim(String preferred, String fallback) {
      return taken.add(preferred) ? preferred : claim(fallback);
    }
  }
}
