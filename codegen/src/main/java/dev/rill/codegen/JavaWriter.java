package dev.rill.codegen;

import java.util.List;

/**
 * Builds Java source text line by line with two-space indentation, as the rest of the generated code
 * and this repository are formatted. Lines end with {@code \n} whatever the platform, so the output is
 * the same bytes everywhere.
 */
final class JavaWriter {
  private static final String INDENT = "  ";

  private final StringBuilder out = new StringBuilder(4096);
  private int depth;

  /** Writes one line at the current indentation; an empty string writes an empty line. */
  JavaWriter line(String text) {
    if (!text.isEmpty()) {
      out.append(INDENT.repeat(depth)).append(text);
    }
    out.append('\n');
    return this;
  }

  /** Writes an empty line. */
  JavaWriter blank() {
    return line("");
  }

  /** Writes {@code text {} and indents what follows. */
  JavaWriter open(String text) {
    line(text + " {");
    depth++;
    return this;
  }

  /** Unindents and writes the closing brace. */
  JavaWriter close() {
    return close("}");
  }

  /** Unindents and writes {@code text}, e.g. {@code "});"}. */
  JavaWriter close(String text) {
    if (depth == 0) {
      throw new IllegalStateException("close() without open()");
    }
    depth--;
    return line(text);
  }

  /** Increases the indentation for continuation lines. */
  JavaWriter indent() {
    depth++;
    return this;
  }

  /** Undoes {@link #indent()}. */
  JavaWriter outdent() {
    if (depth == 0) {
      throw new IllegalStateException("outdent() without indent()");
    }
    depth--;
    return this;
  }

  /** Writes a javadoc comment from lines already escaped for javadoc; nothing if there are none. */
  JavaWriter javadoc(List<String> lines) {
    if (lines.isEmpty()) {
      return this;
    }
    if (lines.size() == 1 && !lines.get(0).isEmpty()) {
      return line("/** " + lines.get(0) + " */");
    }
    line("/**");
    for (String l : lines) {
      line(l.isEmpty() ? " *" : " * " + l);
    }
    return line(" */");
  }

  @Override
  public String toString() {
    if (depth != 0) {
      throw new IllegalStateException("unbalanced: " + depth + " blocks still open");
    }
    return out.toString();
  }
}
