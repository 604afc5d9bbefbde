package dev.rill.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The servers of one bench run, each in a JVM of its own, started once and kept up for the whole run
 * (idle ones cost nothing), so every server meets the clients equally warmed over the run: Rill and
 * grpc-java's AsyncServer with their default executors and with direct executors, and the floor with
 * one port per response size.
 */
final class Servers implements AutoCloseable {
  private final List<Child> children = new ArrayList<>();
  private final Map<Side, Integer> ports = new EnumMap<>(Side.class);
  private final Map<Workload, Integer> floorPorts = new EnumMap<>(Workload.class);
  private final Map<Side, Child> processes = new EnumMap<>(Side.class);

  /** Starts every server and waits until each listens. */
  static Servers start(String benchClasspath, String peerClasspath, Path logDir) throws InterruptedException {
    Servers servers = new Servers();
    try {
      for (Side side : List.of(Side.RILL, Side.RILL_DIRECT)) {
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(Child.java(), "-cp", benchClasspath,
            BenchServer.class.getName(), "--port=" + port));
        if (side.direct) {
          cmd.add("--directexecutor");
        }
        servers.launch(side, port, cmd, BenchServer.READY, logDir);
      }
      for (Side side : List.of(Side.GRPC_JAVA, Side.GRPC_JAVA_DIRECT)) {
        int port = freePort();
        // The same native epoll transport Rill uses (AsyncServer defaults to NIO).
        List<String> cmd = new ArrayList<>(List.of(Child.java(), "-cp", peerClasspath,
            "io.grpc.benchmarks.qps.AsyncServer", "--address=127.0.0.1:" + port, "--transport=netty_epoll"));
        if (side.direct) {
          cmd.add("--directexecutor");
        }
        servers.launch(side, port, cmd, "QPS Server started", logDir);
      }
      StringBuilder listen = new StringBuilder();
      for (Workload w : Workload.values()) {
        int port = freePort();
        servers.floorPorts.put(w, port);
        listen.append(listen.length() == 0 ? "" : ",").append(port).append(':').append(w.serverPayload);
      }
      servers.launch(Side.FLOOR, -1, List.of(Child.java(), "-cp", benchClasspath, FloorServer.class.getName(),
          "--listen=" + listen), FloorServer.READY, logDir);
      return servers;
    } catch (RuntimeException | InterruptedException e) {
      servers.close();
      throw e;
    }
  }

  private void launch(Side side, int port, List<String> command, String ready, Path logDir)
      throws InterruptedException {
    Child child = Child.start(side.label + " server", command,
        logDir.resolve("server-" + side.name().toLowerCase() + ".log"));
    children.add(child);
    processes.put(side, child);
    child.awaitLine(ready, Duration.ofSeconds(60));
    ports.put(side, port);
  }

  /** The port of {@code server} for {@code workload} (the floor's answer depends on the workload). */
  int port(Side server, Workload workload) {
    return server == Side.FLOOR ? floorPorts.get(workload) : ports.get(server);
  }

  /** The process id of {@code server} (one floor process serves every workload). */
  long pid(Side server) {
    return processes.get(server).pid();
  }

  /** Null if every server still runs, else which one died. */
  String deadServer() {
    for (Child c : children) {
      if (!c.isAlive()) {
        return c.tail();
      }
    }
    return null;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    for (Child child : children) {
      child.close();
    }
  }
}
