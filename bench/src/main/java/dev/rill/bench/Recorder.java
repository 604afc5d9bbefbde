package dev.rill.bench;

import org.HdrHistogram.Histogram;

/**
 * What one outstanding-RPC slot saw: latencies in microseconds, messages and payload bytes received,
 * the first failure. Written only by that slot's callbacks, which never overlap; read after the slot
 * is done.
 */
final class Recorder {
  /** As AsyncClient: 1 microsecond to 1 minute, 2 significant digits. */
  static final long HISTOGRAM_MAX_MICROS = 60_000_000L;
  static final int HISTOGRAM_PRECISION = 2;

  final Histogram latencyMicros = newHistogram();
  long messages;
  long payloadBytes;
  Throwable failure;

  static Histogram newHistogram() {
    return new Histogram(HISTOGRAM_MAX_MICROS, HISTOGRAM_PRECISION);
  }

  void recordLatency(long nanos) {
    latencyMicros.recordValue(Math.min(HISTOGRAM_MAX_MICROS, nanos / 1000));
  }

  void recordMessage(int bytes) {
    messages++;
    payloadBytes += bytes;
  }
}
