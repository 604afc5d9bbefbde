package dev.rill.interop;

import dev.rill.server.Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs the interop matrix: the selected cases in the selected directions over the selected kinds of
 * security, and returns one {@link Cell} per combination.
 *
 * <p>For each kind of security it starts one grpc-java {@code TestServiceServer} (its own JVM, from
 * the peer classpath for that security), one standalone Rill {@link InteropServer} (its own JVM, so
 * the standalone server is what grpc-java's client talks to) and one in-process Rill server for the
 * Rill-to-Rill cells, and reuses them for every case. grpc-java's client cases all run in one JVM
 * ({@code ClientBatch} from interop/grpc-java-peer) while Rill's client runs its cases in this one.
 * The negative HTTP/2 cases run plaintext only, against a fresh {@link Http2TestServer} each.
 *
 * <p>Where grpc-java lacks a feature (its server ignores {@code expect_compressed}, so the probe of
 * client_compressed_unary and client_compressed_streaming cannot be answered) the cell is
 * {@link Cell.Outcome#PEER_LACKS_FEATURE} and the {@code _noprobe} variant runs there instead.
 */
final class Matrix {
  /** Cases whose probe needs a server that checks expect_compressed, with their stand-ins. */
  static final Map<String, String> NEEDS_EXPECT_COMPRESSED = Map.of(
      "client_compressed_unary", "client_compressed_unary_noprobe",
      "client_compressed_streaming", "client_compressed_streaming_noprobe");

  /**
   * Soak budgets for this 2-core machine while three JVMs share it: the per-iteration default of
   * 1 s is for a dedicated host, and a cold JVM's first large call can take longer.
   */
  static final List<String> SOAK_FLAGS = List.of(
      "--soak_per_iteration_max_acceptable_latency_ms=10000", "--soak_overall_timeout_seconds=120");

  private static final String GRPC_JAVA_SERVER = "io.grpc.testing.integration.TestServiceServer";
  private static final String GRPC_JAVA_CLIENT_BATCH = "dev.rill.interop.peer.ClientBatch";
  private static final long START_TIMEOUT_SECONDS = 60;
  private static final long BATCH_TIMEOUT_SECONDS = 600;

  private final Set<String> cases;
  private final Set<Direction> directions;
  private final Set<Security> securities;
  private final Path peerDir;
  private final String ownClasspath;
  private final Path logDir;

  /**
   * @param peerDir interop/grpc-java-peer/target: its classpath files and classes
   * @param ownClasspath the classpath of this module, for the standalone Rill server
   * @param logDir where the started JVMs' output goes
   */
  Matrix(Set<String> cases, Set<Direction> directions, Set<Security> securities, Path peerDir,
      String ownClasspath, Path logDir) {
    this.cases = cases;
    this.directions = directions;
    this.securities = securities;
    this.peerDir = peerDir;
    this.ownClasspath = ownClasspath;
    this.logDir = logDir;
  }

  List<Cell> run() throws IOException, InterruptedException {
    List<Cell> cells = new ArrayList<>();
    for (Security security : securities) {
      runSecurity(security, cells);
    }
    if (directions.contains(Direction.RILL_TO_HTTP2_TEST_SERVER) && securities.contains(Security.PLAINTEXT)) {
      for (String c : Http2TestServer.CASES) {
        if (cases.contains(c)) {
          cells.add(negativeCase(c));
        }
      }
    }
    return cells;
  }

  private List<String> interopCases() {
    List<String> out = new ArrayList<>();
    for (String c : TestCases.NAMES) {
      if (cases.contains(c)) {
        out.add(c);
      }
    }
    return out;
  }

  private void runSecurity(Security security, List<Cell> cells) throws IOException, InterruptedException {
    List<String> selected = interopCases();
    if (selected.isEmpty()) {
      return;
    }
    JavaProcess grpcJavaServer = null;
    JavaProcess rillServer = null;
    JavaProcess grpcJavaClients = null;
    Server inProcess = null;
    try {
      int grpcJavaPort = 0;
      if (directions.contains(Direction.RILL_TO_GRPC_JAVA)) {
        grpcJavaPort = freePort();
        grpcJavaServer = JavaProcess.start("grpc-java-server-" + security.label, peerClasspath(security),
            List.of(), GRPC_JAVA_SERVER, List.of("--port=" + grpcJavaPort, "--use_tls=" + security.tls()),
            logDir.resolve("grpc-java-server-" + security.label + ".log"));
      }
      if (directions.contains(Direction.GRPC_JAVA_TO_RILL)) {
        rillServer = JavaProcess.start("rill-server-" + security.label, ownClasspath, List.of(),
            InteropServer.class.getName(), serverFlags(security), logDir.resolve("rill-server-" + security.label + ".log"));
        String line = rillServer.awaitLine(l -> l.startsWith("listening on "), START_TIMEOUT_SECONDS);
        int port = Integer.parseInt(line.substring("listening on ".length()).trim());
        List<String> args = new ArrayList<>(clientFlags(security, port));
        args.add("--cases=" + String.join(",", selected));
        grpcJavaClients = JavaProcess.start("grpc-java-client-" + security.label,
            peerDir.resolve("classes") + java.io.File.pathSeparator + peerClasspath(security),
            List.of("-XX:TieredStopAtLevel=1"), GRPC_JAVA_CLIENT_BATCH, args,
            logDir.resolve("grpc-java-client-" + security.label + ".log"));
      }
      if (directions.contains(Direction.RILL_TO_RILL)) {
        inProcess = InteropServer.start(0, security.provider);
      }
      if (grpcJavaServer != null) {
        grpcJavaServer.awaitLine(l -> l.startsWith("Server started"), START_TIMEOUT_SECONDS);
        for (String c : selected) {
          cells.add(rillClientCell(c, Direction.RILL_TO_GRPC_JAVA, security, grpcJavaPort));
        }
      }
      if (inProcess != null) {
        for (String c : selected) {
          cells.add(rillClientCell(c, Direction.RILL_TO_RILL, security, inProcess.port()));
        }
      }
      if (grpcJavaClients != null) {
        cells.addAll(grpcJavaClientCells(grpcJavaClients, selected, security));
      }
    } finally {
      for (JavaProcess p : new JavaProcess[] {grpcJavaClients, rillServer, grpcJavaServer}) {
        if (p != null) {
          p.close();
        }
      }
      if (inProcess != null) {
        inProcess.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }

  private Cell rillClientCell(String testCase, Direction direction, Security security, int port) {
    String stand = direction == Direction.RILL_TO_GRPC_JAVA ? NEEDS_EXPECT_COMPRESSED.get(testCase) : null;
    String failure = runRillClient(stand != null ? stand : testCase, security, port);
    if (stand != null) {
      return new Cell(testCase, direction, security, Cell.Outcome.PEER_LACKS_FEATURE,
          "grpc-java's server ignores expect_compressed; ran " + stand + ": " + (failure == null ? "pass" : failure));
    }
    return new Cell(testCase, direction, security, failure == null ? Cell.Outcome.PASS : Cell.Outcome.FAIL, failure);
  }

  /** Runs one case with Rill's client in this JVM; returns the failed check, or null. */
  private static String runRillClient(String testCase, Security security, int port) {
    List<String> args = new ArrayList<>(clientFlags(security, port));
    args.add("--test_case=" + testCase);
    if (security.tls()) {
      args.add("--tls_provider=" + security.provider.name().toLowerCase(java.util.Locale.ROOT));
    }
    try {
      InteropClient.run(ClientSettings.parse(args.toArray(new String[0])));
      return null;
    } catch (AssertionError | RuntimeException e) {
      return String.valueOf(e.getMessage());
    }
  }

  private List<Cell> grpcJavaClientCells(JavaProcess batch, List<String> selected, Security security) {
    int exit = batch.awaitExit(BATCH_TIMEOUT_SECONDS);
    Map<String, String> results = new HashMap<>();
    Boolean openSsl = null;
    for (String line : batch.lines()) {
      if (line.startsWith("RESULT ")) {
        String[] parts = line.split(" ", 3);
        results.put(parts[1], parts[2]);
      } else if (line.startsWith("PEER openssl-available=")) {
        openSsl = Boolean.valueOf(line.substring("PEER openssl-available=".length()).trim());
      }
    }
    // A TLS cell must be what its column says: grpc-java on BoringSSL, or on the JDK provider.
    String wrongProvider = security == Security.TLS_BORINGSSL && !Boolean.TRUE.equals(openSsl)
        ? "grpc-java's client could not load BoringSSL (netty-tcnative)"
        : security == Security.TLS_JDK && !Boolean.FALSE.equals(openSsl)
            ? "grpc-java's client had BoringSSL on its classpath, so it was not the JDK provider" : null;
    List<Cell> out = new ArrayList<>();
    for (String c : selected) {
      String r = results.get(c);
      if (wrongProvider != null) {
        out.add(new Cell(c, Direction.GRPC_JAVA_TO_RILL, security, Cell.Outcome.FAIL, wrongProvider));
      } else if (r == null) {
        out.add(new Cell(c, Direction.GRPC_JAVA_TO_RILL, security, Cell.Outcome.FAIL,
            "grpc-java client gave no result (exit " + exit + "; see " + batch.log() + ")"));
      } else if (r.equals("PASS")) {
        out.add(new Cell(c, Direction.GRPC_JAVA_TO_RILL, security, Cell.Outcome.PASS, null));
      } else {
        out.add(new Cell(c, Direction.GRPC_JAVA_TO_RILL, security, Cell.Outcome.FAIL,
            r.substring(Math.min(r.length(), "FAIL ".length()))));
      }
    }
    return out;
  }

  private Cell negativeCase(String testCase) throws InterruptedException {
    String failure;
    try (Http2TestServer server = Http2TestServer.start(testCase, 0)) {
      failure = runRillClient(testCase, Security.PLAINTEXT, server.port());
      if (failure == null) {
        failure = server.serverFailure();
      }
    }
    return new Cell(testCase, Direction.RILL_TO_HTTP2_TEST_SERVER, Security.PLAINTEXT,
        failure == null ? Cell.Outcome.PASS : Cell.Outcome.FAIL, failure);
  }

  private static List<String> serverFlags(Security security) {
    List<String> flags = new ArrayList<>(List.of("--port=0", "--use_tls=" + security.tls()));
    if (security.tls()) {
      flags.add("--tls_provider=" + security.provider.name().toLowerCase(java.util.Locale.ROOT));
    }
    return flags;
  }

  /** The flags both clients get: grpc-java TestServiceClient's, so they mean the same to each. */
  private static List<String> clientFlags(Security security, int port) {
    List<String> flags = new ArrayList<>(List.of("--server_host=localhost", "--server_port=" + port,
        "--use_tls=" + security.tls()));
    if (security.tls()) {
      flags.add("--use_test_ca=true");
      flags.add("--server_host_override=" + TestCerts.HOST_OVERRIDE);
    }
    flags.addAll(SOAK_FLAGS);
    return flags;
  }

  private String peerClasspath(Security security) throws IOException {
    Path file = peerDir.resolve(security.peerClasspathFile);
    if (!Files.exists(file)) {
      throw new IllegalStateException(file + " is missing: build interop/grpc-java-peer first");
    }
    return Files.readString(file).trim();
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
