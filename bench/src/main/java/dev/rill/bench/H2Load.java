package dev.rill.bench;

import com.google.protobuf.ByteString;
import io.grpc.benchmarks.proto.Messages.Payload;
import io.grpc.benchmarks.proto.Messages.PayloadType;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The neutral driver: nghttp2's h2load sends a ready-made gRPC unary request (the bytes a gRPC client
 * would send, written once to a file) so servers are compared with neither runtime's client in the
 * way. h2load checks HTTP status only, so while it runs, nghttp (same package) sends a sample of the
 * same requests and the trailers it gets back are checked for {@code grpc-status: 0}.
 *
 * <p>The bench installs nothing: without h2load on the PATH the runner says so in the table.
 */
final class H2Load {
  static final String PATH = "/grpc.testing.BenchmarkService/UnaryCall";
  static final String INSTALL_HINT = "h2load not installed (Debian: apt-get install nghttp2-client)";
  private static final int SAMPLE = 20;
  private static final Pattern FINISHED = Pattern.compile("finished in [^,]+, ([0-9.]+) req/s");
  private static final Pattern REQUESTS = Pattern.compile(
      "requests: (\\d+) total, \\d+ started, \\d+ done, (\\d+) succeeded, (\\d+) failed, (\\d+) errored, (\\d+) timeout");
  private static final Pattern STATUS = Pattern.compile("recv \\(stream_id=\\d+\\) grpc-status: (\\d+)");

  private final Path h2load;
  private final Optional<Path> nghttp;
  private final Path workDir;

  private H2Load(Path h2load, Optional<Path> nghttp, Path workDir) {
    this.h2load = h2load;
    this.nghttp = nghttp;
    this.workDir = workDir;
  }

  /** The driver, if h2load is on the PATH. */
  static Optional<H2Load> find(Path workDir) {
    return onPath("h2load").map(p -> new H2Load(p, onPath("nghttp"), workDir));
  }

  private static Optional<Path> onPath(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** What one h2load run measured and what the grpc-status sample found. */
  record Outcome(Measurement measurement, String statusCheck) {}

  Outcome run(int port, Shape shape, Workload workload, int warmupSeconds, int durationSeconds)
      throws InterruptedException {
    Path request = requestFile(workload.clientPayload, workload.serverPayload);
    String url = "http://127.0.0.1:" + port + PATH;
    // One h2load thread: it outruns any JVM server here and leaves the other core to the server.
    List<String> command = new ArrayList<>(List.of(h2load.toString(),
        "-c", Integer.toString(shape.channels), "-m", Integer.toString(shape.outstanding), "-t", "1",
        "-D", Integer.toString(durationSeconds), "--warm-up-time=" + warmupSeconds, "-d", request.toString()));
    command.addAll(headers());
    command.add(url);
    Child load = Child.start("h2load", command, workDir.resolve("h2load.log"));
    String statusCheck;
    try {
      // Sampled in the middle of the measured phase, under load.
      Thread.sleep((warmupSeconds * 1000L) + durationSeconds * 500L);
      statusCheck = sampleStatus(request, url);
    } finally {
      load.awaitExit(Duration.ofSeconds(warmupSeconds + durationSeconds + 60L));
    }
    return new Outcome(parse(load.output()), statusCheck);
  }

  private static List<String> headers() {
    return List.of("-H", "content-type: application/grpc", "-H", "te: trailers");
  }

  private String sampleStatus(Path request, String url) throws InterruptedException {
    if (nghttp.isEmpty()) {
      return "grpc-status not checked: nghttp not found";
    }
    List<String> command = new ArrayList<>(List.of(nghttp.get().toString(), "-n", "-v",
        "-m", Integer.toString(SAMPLE), "-d", request.toString()));
    command.addAll(headers());
    command.add(url);
    Child sample = Child.start("nghttp", command, workDir.resolve("nghttp.log"));
    String output;
    try {
      output = sample.awaitExit(Duration.ofSeconds(30));
    } catch (IllegalStateException e) {
      return "grpc-status not checked: nghttp failed";
    }
    return statusCheck(output);
  }

  /** How many of the sampled responses carried grpc-status 0, from nghttp -v output. */
  static String statusCheck(String nghttpOutput) {
    int ok = 0;
    int other = 0;
    Matcher m = STATUS.matcher(nghttpOutput);
    while (m.find()) {
      if ("0".equals(m.group(1))) {
        ok++;
      } else {
        other++;
      }
    }
    int missing = SAMPLE - ok - other;
    return other == 0 && missing == 0 ? "grpc-status 0 in " + ok + "/" + SAMPLE + " sampled"
        : "BAD: grpc-status 0 in only " + ok + "/" + SAMPLE + " sampled (" + other + " non-zero, " + missing + " missing)";
  }

  /** h2load's summary: requests per second and every request that did not succeed. */
  static Measurement parse(String output) {
    Matcher finished = FINISHED.matcher(output);
    Matcher requests = REQUESTS.matcher(output);
    if (!finished.find() || !requests.find()) {
      throw new IllegalStateException("h2load printed no summary:\n" + output);
    }
    long errors = Long.parseLong(requests.group(3)) + Long.parseLong(requests.group(4))
        + Long.parseLong(requests.group(5));
    double qps = Double.parseDouble(finished.group(1));
    if (Long.parseLong(requests.group(1)) == 0) {
      // Typically no connection could be made: not a rate of zero but no measurement at all.
      throw new IllegalStateException("h2load completed no request in the measured window:\n" + output);
    }
    return new Measurement(qps, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, errors, Double.NaN);
  }

  private Path requestFile(int clientPayload, int serverPayload) {
    Path file = workDir.resolve(String.format(Locale.ROOT, "request-%d-%d.bin", clientPayload, serverPayload));
    SimpleRequest request = SimpleRequest.newBuilder()
        .setResponseType(PayloadType.COMPRESSABLE)
        .setResponseSize(serverPayload)
        .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[clientPayload])))
        .build();
    try {
      return Files.write(file, GrpcFrames.frame(request.toByteArray()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
