package dev.rill.interop;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prints matrix cells as a table: one section per direction, a row per case, a column per kind of
 * security; then the failures with their reasons and a last line {@code N passed, M failed}.
 * "peer lacks feature" cells count as neither.
 */
final class MatrixReport {
  private final List<Cell> cells;

  MatrixReport(List<Cell> cells) {
    this.cells = cells;
  }

  long passed() {
    return cells.stream().filter(c -> c.outcome == Cell.Outcome.PASS).count();
  }

  long failed() {
    return cells.stream().filter(c -> c.outcome == Cell.Outcome.FAIL).count();
  }

  void print(PrintStream out) {
    int caseWidth = cells.stream().mapToInt(c -> c.testCase.length()).max().orElse(4) + 2;
    for (Direction d : Direction.values()) {
      Map<String, Map<Security, Cell>> rows = new LinkedHashMap<>();
      Set<Security> columns = new LinkedHashSet<>();
      for (Cell c : cells) {
        if (c.direction == d) {
          rows.computeIfAbsent(c.testCase, k -> new LinkedHashMap<>()).put(c.security, c);
          columns.add(c.security);
        }
      }
      if (rows.isEmpty()) {
        continue;
      }
      out.println();
      out.println(d.title);
      StringBuilder header = new StringBuilder(pad("case", caseWidth));
      for (Security s : columns) {
        header.append(pad(s.label, 20));
      }
      out.println(header.toString().stripTrailing());
      out.println("-".repeat(caseWidth + 20 * columns.size() - 2));
      for (Map.Entry<String, Map<Security, Cell>> row : rows.entrySet()) {
        StringBuilder line = new StringBuilder(pad(row.getKey(), caseWidth));
        for (Security s : columns) {
          Cell c = row.getValue().get(s);
          line.append(pad(c == null ? "-" : c.shortText(), 20));
        }
        out.println(line.toString().stripTrailing());
      }
    }
    List<Cell> notes = new ArrayList<>();
    List<Cell> failures = new ArrayList<>();
    for (Cell c : cells) {
      if (c.outcome == Cell.Outcome.FAIL) {
        failures.add(c);
      } else if (c.outcome == Cell.Outcome.PEER_LACKS_FEATURE) {
        notes.add(c);
      }
    }
    if (!notes.isEmpty()) {
      out.println();
      out.println("peer lacks feature (not counted as passed):");
      for (Cell c : notes) {
        out.println("  " + c.direction.label + " " + c.security.label + " " + c.testCase + ": " + c.detail);
      }
    }
    if (!failures.isEmpty()) {
      out.println();
      out.println("failures:");
      for (Cell c : failures) {
        out.println("  " + c.direction.label + " " + c.security.label + " " + c.testCase + ": " + c.detail);
      }
    }
    out.println();
    out.println(passed() + " passed, " + failed() + " failed");
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
  }
}
