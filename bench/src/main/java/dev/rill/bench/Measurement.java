package dev.rill.bench;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * One load run's figures. Latencies are microseconds; a figure the driver does not report is NaN.
 * {@code serverCpuMicros} is the server process's CPU per RPC (or message), measured by the runner.
 * The text form is grpc-java AsyncClient's output ({@code 50%ile Latency (in micros): 123},
 * {@code QPS: 4567}) plus Rill's extra lines, so the runner reads every JVM client the same way.
 */
record Measurement(double qps, double p50, double p90, double p99, double p999, double messagesPerSecond,
    double megabytesPerSecond, long errors, double serverCpuMicros) {

  private static final String P50 = "50%ile Latency (in micros):";
  private static final String P90 = "90%ile Latency (in micros):";
  private static final String P95 = "95%ile Latency (in micros):";
  private static final String P99 = "99%ile Latency (in micros):";
  private static final String P999 = "99.9%ile Latency (in micros):";
  private static final String MAX = "Maximum Latency (in micros):";
  private static final String QPS = "QPS:";
  private static final String MESSAGES = "Messages/s:";
  private static final String MEGABYTES = "MB/s:";
  private static final String ERRORS = "Errors:";

  static Measurement of(Histogram latency, long messages, long payloadBytes, long errors, long elapsedNanos) {
    double seconds = elapsedNanos / 1e9;
    return new Measurement(latency.getTotalCount() / seconds,
        latency.getValueAtPercentile(50), latency.getValueAtPercentile(90),
        latency.getValueAtPercentile(99), latency.getValueAtPercentile(99.9),
        messages / seconds, payloadBytes / seconds / 1e6, errors, Double.NaN);
  }

  /** The report the load client prints: AsyncClient's lines first, then Rill's. */
  static String format(LoadConfig c, Histogram latency, Measurement m) {
    StringBuilder sb = new StringBuilder();
    line(sb, "Channels:", c.channels());
    line(sb, "Outstanding RPCs per Channel:", c.outstandingRpcs());
    line(sb, "Server Payload Size:", c.serverPayload());
    line(sb, "Client Payload Size:", c.clientPayload());
    line(sb, P50, latency.getValueAtPercentile(50));
    line(sb, P90, latency.getValueAtPercentile(90));
    line(sb, P95, latency.getValueAtPercentile(95));
    line(sb, P99, latency.getValueAtPercentile(99));
    line(sb, P999, latency.getValueAtPercentile(99.9));
    line(sb, MAX, latency.getValueAtPercentile(100));
    line(sb, QPS, Math.round(m.qps()));
    line(sb, MESSAGES, Math.round(m.messagesPerSecond()));
    sb.append(String.format(Locale.ROOT, "%-32s%.2f%n", MEGABYTES, m.megabytesPerSecond()));
    line(sb, ERRORS, m.errors());
    return sb.toString();
  }

  private static void line(StringBuilder sb, String label, long value) {
    sb.append(String.format(Locale.ROOT, "%-32s%d%n", label, value));
  }

  /** Reads a client's report; lines it lacks give NaN (errors: 0). */
  static Measurement parse(String output) {
    double qps = Double.NaN;
    double p50 = Double.NaN;
    double p90 = Double.NaN;
    double p99 = Double.NaN;
    double p999 = Double.NaN;
    double messages = Double.NaN;
    double megabytes = Double.NaN;
    long errors = 0;
    for (String raw : output.split("\n")) {
      String line = raw.trim();
      if (line.startsWith(P50)) {
        p50 = number(line, P50);
      } else if (line.startsWith(P90)) {
        p90 = number(line, P90);
      } else if (line.startsWith(P99)) {
        p99 = number(line, P99);
      } else if (line.startsWith(P999)) {
        p999 = number(line, P999);
      } else if (line.startsWith(QPS)) {
        qps = number(line, QPS);
      } else if (line.startsWith(MESSAGES)) {
        messages = number(line, MESSAGES);
      } else if (line.startsWith(MEGABYTES)) {
        megabytes = number(line, MEGABYTES);
      } else if (line.startsWith(ERRORS)) {
        errors = (long) number(line, ERRORS);
      }
    }
    if (Double.isNaN(qps)) {
      throw new IllegalArgumentException("no 'QPS:' line in the client's output");
    }
    return new Measurement(qps, p50, p90, p99, p999, messages, megabytes, errors, Double.NaN);
  }

  private static double number(String line, String label) {
    return Double.parseDouble(line.substring(label.length()).trim());
  }

  /** This run with the server's CPU per operation, from its CPU rate (seconds per second). */
  Measurement withServerCpu(double cpuSecondsPerSecond) {
    return new Measurement(qps, p50, p90, p99, p999, messagesPerSecond, megabytesPerSecond, errors,
        ServerCpu.microsPerOp(cpuSecondsPerSecond, qps));
  }
}
