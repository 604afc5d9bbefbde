package dev.rill.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * CPU a server process spends per RPC while a cell runs: on two cores the load generator and the
 * server share the machine, and once the server is cheap enough the generator is the bottleneck, so
 * rates of different servers converge while their cost per request does not. Sampled from
 * {@code /proc/PID/stat} (user + system time) over the middle of the measured phase, divided by the
 * phase's rate. Linux only; elsewhere the figure is NaN.
 */
final class ServerCpu {
  /** USER_HZ: the unit of utime and stime in /proc/PID/stat on Linux. */
  private static final double TICKS_PER_SECOND = 100.0;

  private ServerCpu() {}

  /**
   * Starts sampling {@code pid}'s CPU from {@code startSeconds} after now for {@code lengthSeconds}; the
   * future gives CPU seconds per wall second (NaN if unreadable).
   */
  static CompletableFuture<Double> sample(long pid, double startSeconds, double lengthSeconds) {
    CompletableFuture<Double> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        TimeUnit.MILLISECONDS.sleep((long) (startSeconds * 1000));
        double before = cpuSeconds(pid);
        long t0 = System.nanoTime();
        TimeUnit.MILLISECONDS.sleep((long) (lengthSeconds * 1000));
        double after = cpuSeconds(pid);
        result.complete((after - before) / ((System.nanoTime() - t0) / 1e9));
      } catch (InterruptedException e) {
        result.complete(Double.NaN);
      }
    }, "server-cpu-sampler");
    t.setDaemon(true);
    t.start();
    return result;
  }

  /** Microseconds of server CPU per RPC (or message), from a CPU rate and the cell's rate. */
  static double microsPerOp(double cpuSecondsPerSecond, double opsPerSecond) {
    return opsPerSecond > 0 ? cpuSecondsPerSecond / opsPerSecond * 1e6 : Double.NaN;
  }

  private static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name, which is in parentheses and may contain spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
