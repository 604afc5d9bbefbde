package dev.rill.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A JVM the matrix starts: grpc-java's server or client, or Rill's standalone server. Its output goes
 * to a log file, and the lines of its standard output are kept to look for readiness and results.
 */
final class JavaProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private final CompletableFuture<Void> outputDone = new CompletableFuture<>();

  private static final class Waiter {
    final Predicate<String> match;
    final CompletableFuture<String> line = new CompletableFuture<>();

    Waiter(Predicate<String> match) {
      this.match = match;
    }
  }

  private JavaProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code mainClass} in a new JVM; its output (both streams) goes to {@code log}. */
  static JavaProcess start(String name, String classpath, List<String> jvmFlags, String mainClass,
      List<String> args, Path log) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(args);
    try {
      Files.createDirectories(log.getParent());
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      // A runner stopped by a signal still stops its servers, which would otherwise run on forever.
      Runtime.getRuntime().addShutdownHook(new Thread(p::destroy, "interop-" + name + "-stop"));
      JavaProcess jp = new JavaProcess(name, p, log);
      Thread reader = new Thread(jp::pump, "interop-" + name + "-output");
      reader.setDaemon(true);
      reader.start();
      return jp;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  private void pump() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
         Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.write('\n');
        out.flush();
        lines.add(line);
        synchronized (waiters) {
          for (Waiter w : waiters) {
            if (!w.line.isDone() && w.match.test(line)) {
              w.line.complete(line);
            }
          }
        }
      }
    } catch (IOException e) {
      // The process went away; whoever waits learns it below.
    } finally {
      outputDone.complete(null);
      synchronized (waiters) {
        for (Waiter w : waiters) {
          w.line.complete(null);
        }
      }
    }
  }

  /**
   * Waits for an output line matching {@code match}; throws naming the log if the process ended or
   * the time ran out first.
   */
  String awaitLine(Predicate<String> match, long timeoutSeconds) {
    Waiter w = new Waiter(match);
    synchronized (waiters) {
      for (String l : lines) {
        if (match.test(l)) {
          return l;
        }
      }
      if (outputDone.isDone()) {
        w.line.complete(null);
      }
      waiters.add(w);
    }
    String line;
    try {
      line = w.line.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      line = null;
    }
    if (line == null) {
      throw new IllegalStateException(name + " did not become ready (see " + log + ")");
    }
    return line;
  }

  /** Waits for the process to exit on its own; returns its exit code, or -1 if it had to be killed. */
  int awaitExit(long timeoutSeconds) {
    try {
      if (process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        outputDone.get(10, TimeUnit.SECONDS);
        return process.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // output still draining; the exit code stands
      return process.exitValue();
    }
    close();
    return -1;
  }

  List<String> lines() {
    return lines;
  }

  Path log() {
    return log;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
