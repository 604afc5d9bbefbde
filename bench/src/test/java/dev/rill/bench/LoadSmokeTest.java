package dev.rill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.server.Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke check that the load side works, in a few seconds and measuring nothing: Rill's load client
 * drives Rill's BenchmarkService and the floor through every workload, and grpc-java's AsyncServer and
 * AsyncClient (in their own JVMs, from bench/grpc-java-peer's classpath) talk to Rill's.
 */
class LoadSmokeTest {
  private static Server rill;
  private static FloorServer floor;

  @BeforeAll
  static void start() throws Exception {
    rill = BenchServer.start(0, false, false);
    floor = new FloorServer();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    floor.close();
    rill.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  private static LoadClient.Result load(int port, Workload w, String... extra) throws InterruptedException {
    List<String> args = new ArrayList<>(List.of("--address=127.0.0.1:" + port, "--channels=2", "--outstanding_rpcs=3",
        "--client_payload=" + w.clientPayload, "--server_payload=" + w.serverPayload,
        "--warmup_duration=0.1", "--duration=0.3"));
    if (w.rpcFlag() != null) {
      args.add(w.rpcFlag());
    }
    args.addAll(List.of(extra));
    return new LoadClient(LoadConfig.fromArgs(args.toArray(new String[0]))).run();
  }

  private static void assertWorked(LoadClient.Result r, String what) {
    assertNull(r.firstFailure(), what + ": an RPC failed");
    assertTrue(r.measurement().qps() > 0, what + ": no RPC completed");
  }

  @Test
  void everyWorkloadRunsAgainstRillAndTheFloor() throws Exception {
    for (Workload w : Workload.values()) {
      assertWorked(load(rill.port(), w), w + " on Rill");
      assertWorked(load(floor.listen(0, w.serverPayload), w), w + " on the floor");
    }
    LoadClient.Result streamed = load(rill.port(), Workload.SERVER_STREAMING_64KIB, "--directexecutor");
    assertWorked(streamed, "server-streaming with a direct executor");
    assertTrue(streamed.measurement().megabytesPerSecond() > 0, "server-streaming counts payload bytes");
  }

  @Test
  void grpcJavaPeersTalkToRill(@TempDir Path dir) throws Exception {
    String peer = Files.readString(Path.of(System.getProperty("rill.bench.peerClasspath"))).trim();
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (Child server = Child.start("AsyncServer", List.of(Child.java(), "-cp", peer,
        "io.grpc.benchmarks.qps.AsyncServer", "--address=127.0.0.1:" + port), dir.resolve("server.log"))) {
      server.awaitLine("QPS Server started", Duration.ofSeconds(60));
      assertWorked(load(port, Workload.UNARY_1KIB), "Rill client on AsyncServer");
      assertWorked(load(port, Workload.SERVER_STREAMING_64KIB), "Rill client on AsyncServer, server-streaming");
    }
    Child client = Child.start("AsyncClient", List.of(Child.java(), "-cp", peer, "io.grpc.benchmarks.qps.AsyncClient",
        "--address=127.0.0.1:" + rill.port(), "--channels=1", "--outstanding_rpcs=2", "--streaming_rpcs",
        "--warmup_duration=0", "--duration=1"), dir.resolve("client.log"));
    Measurement m = Measurement.parse(client.awaitExit(Duration.ofSeconds(60)));
    assertTrue(m.qps() > 0, "AsyncClient completed no round trip on Rill");
    assertEquals(0, m.errors());
  }
}
