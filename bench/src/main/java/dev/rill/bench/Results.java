package dev.rill.bench;

import dev.rill.bench.Matrix.Cell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/** Every run of every cell, and what went wrong where; medians are taken over the runs. */
final class Results {
  private final Map<Cell, List<Measurement>> runs = new LinkedHashMap<>();
  private final Map<Cell, Set<String>> notes = new LinkedHashMap<>();

  void add(Cell cell, Measurement m) {
    runs.computeIfAbsent(cell, c -> new ArrayList<>()).add(m);
  }

  void note(Cell cell, String note) {
    notes.computeIfAbsent(cell, c -> new LinkedHashSet<>()).add(note);
  }

  List<Measurement> runs(Cell cell) {
    return runs.getOrDefault(cell, List.of());
  }

  Set<String> notes(Cell cell) {
    return notes.getOrDefault(cell, Set.of());
  }

  /** The median of {@code metric} over the cell's runs, ignoring runs that lack it; NaN if none has it. */
  double median(Cell cell, ToDoubleFunction<Measurement> metric) {
    double[] values = runs(cell).stream().mapToDouble(metric).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (values.length == 0) {
      return Double.NaN;
    }
    int mid = values.length / 2;
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }

  /** (max - min) / median of the throughput, in percent: how much the runs disagree. */
  double spreadPercent(Cell cell) {
    double[] values = runs(cell).stream().mapToDouble(Measurement::qps).sorted().toArray();
    if (values.length < 2) {
      return Double.NaN;
    }
    return (values[values.length - 1] - values[0]) / median(cell, Measurement::qps) * 100;
  }

  /** {@code median(a) / median(b)} of {@code metric}; NaN unless both were measured. */
  double ratio(Cell a, Cell b, ToDoubleFunction<Measurement> metric) {
    return median(a, metric) / median(b, metric);
  }
}
