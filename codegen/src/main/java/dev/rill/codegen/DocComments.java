package dev.rill.codegen;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo.Location;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The comments of a .proto file's services and methods, as javadoc lines.
 *
 * <p>A comment is the one right before the element, or failing that the one right after it on the
 * same line (protobuf-java's choice too); detached comments are left out. The text goes into a
 * {@code <pre>} block, escaped so that nothing in it can end the comment, start a javadoc tag, become
 * HTML, or be read by javac as a unicode escape (a backslash and a u), which javac decodes even in
 * comments. Non-ASCII characters become HTML character references, so the generated file is ASCII
 * and compiles the same under any source encoding.
 */
final class DocComments {
  // Field numbers in descriptor.proto: FileDescriptorProto.service, ServiceDescriptorProto.method.
  private static final int SERVICE_FIELD = 6;
  private static final int METHOD_FIELD = 2;

  private final Map<List<Integer>, String> comments = new HashMap<>();

  DocComments(FileDescriptorProto file) {
    for (Location location : file.getSourceCodeInfo().getLocationList()) {
      String text = location.hasLeadingComments() ? location.getLeadingComments()
          : location.getTrailingComments();
      if (!text.isBlank()) {
        comments.putIfAbsent(location.getPathList(), text);
      }
    }
  }

  /** The javadoc lines for service number {@code service}, empty if it has no comment. */
  List<String> service(int service) {
    return lines(comments.get(List.of(SERVICE_FIELD, service)));
  }

  /** The javadoc lines for method number {@code method} of service number {@code service}. */
  List<String> method(int service, int method) {
    return lines(comments.get(List.of(SERVICE_FIELD, service, METHOD_FIELD, method)));
  }

  /** {@code <pre>}, the escaped lines of {@code comment}, {@code </pre>}; empty for no comment. */
  static List<String> lines(String comment) {
    if (comment == null) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    for (String line : escape(comment).split("\n", -1)) {
      lines.add(line.stripTrailing());
    }
    while (!lines.isEmpty() && lines.get(0).isEmpty()) {
      lines.remove(0);
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    if (lines.isEmpty()) {
      return List.of();
    }
    lines.add(0, "<pre>");
    lines.add("</pre>");
    return lines;
  }

  /** Makes {@code text} safe inside a javadoc comment (see the class comment). */
  static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 16);
    int previous = 0;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      switch (c) {
        case '*':
          sb.append(previous == '/' ? "&#42;" : "*");
          break;
        case '/':
          sb.append(previous == '*' ? "&#47;" : "/");
          break;
        case '@':
          sb.append("&#64;");
          break;
        case '<':
          sb.append("&lt;");
          break;
        case '>':
          sb.append("&gt;");
          break;
        case '&':
          sb.append("&amp;");
          break;
        case '\\':
          sb.append("&#92;");
          break;
        case '\n':
        case '\t':
          sb.appendCodePoint(c);
          break;
        default:
          if (c < 0x20 || c == 0x7f) {
            break; // other control characters (a stray \r) carry nothing worth keeping
          }
          if (c > 0x7e) {
            sb.append("&#").append(c).append(';');
          } else {
            sb.appendCodePoint(c);
          }
      }
      previous = c;
    }
    return sb.toString();
  }
}
