package dev.rill.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process the runner starts (a server, a client, h2load), its output going to a log file so a long
 * run never blocks on a full pipe and a failure can quote it.
 */
final class Child implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;

  private Child(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static Child start(String name, List<String> command, Path log) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      return new Child(name, p, log);
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": cannot start " + command.get(0), e);
    }
  }

  /** The java launcher of the running JVM, so every child runs on the same JDK. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Waits until the output has a line starting with {@code prefix} (a server's ready line). */
  void awaitLine(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (output().lines().anyMatch(l -> l.startsWith(prefix))) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited (" + process.exitValue() + ") before it was ready:\n" + tail());
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(name + " not ready within " + timeout.toSeconds() + " s:\n" + tail());
  }

  /** Waits for the process to exit and returns its output; a non-zero exit or a timeout throws. */
  String awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      close();
      throw new IllegalStateException(name + " did not finish within " + timeout.toSeconds() + " s:\n" + tail());
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
    }
    return output();
  }

  String output() {
    try {
      // Not readString: tools may print binary bytes, which it would reject as malformed.
      return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The last lines of the output, for error messages. */
  String tail() {
    List<String> lines = output().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the process (SIGTERM, then SIGKILL after 10 s); an interrupt kills it at once. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  long pid() {
    return process.pid();
  }
}
