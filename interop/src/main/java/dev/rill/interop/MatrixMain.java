package dev.rill.interop;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code ./rill interop}: runs the interop matrix and prints it. Flags (each a comma-separated list,
 * default everything): {@code --case=}, {@code --direction=} (rill-to-grpc-java, grpc-java-to-rill,
 * rill-to-rill, rill-to-http2-test-server), {@code --security=} (h2c, tls-boringssl, tls-jdk). Exit
 * status 1 if any cell failed, 2 for bad flags.
 *
 * <p>Expects to run from the repository root (the launcher does), where it finds the grpc-java peer
 * in {@code interop/grpc-java-peer/target}; {@code -Drill.interop.peerDir} overrides that.
 */
public final class MatrixMain {
  private MatrixMain() {}

  public static void main(String[] args) throws Exception {
    Matrix matrix;
    try {
      matrix = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("interop: " + e.getMessage());
      System.err.println("usage: ./rill interop [--case=a,b] [--direction=rill-to-grpc-java,grpc-java-to-rill,"
          + "rill-to-rill,rill-to-http2-test-server] [--security=h2c,tls-boringssl,tls-jdk]");
      System.exit(2);
      return;
    }
    MatrixReport report = new MatrixReport(matrix.run());
    report.print(System.out);
    System.out.flush();
    System.exit(report.failed() == 0 ? 0 : 1);
  }

  static Matrix parse(String[] args) {
    Flags flags = Flags.parse(args, Set.of("case", "direction", "security"));
    Set<String> cases = new LinkedHashSet<>();
    String caseList = flags.get("case", null);
    if (caseList == null) {
      cases.addAll(TestCases.NAMES);
      cases.addAll(Http2Cases.NAMES);
    } else {
      for (String c : caseList.split(",")) {
        if (!TestCases.NAMES.contains(c) && !Http2Cases.NAMES.contains(c)) {
          throw new IllegalArgumentException("unknown case '" + c + "'");
        }
        cases.add(c);
      }
    }
    Set<Direction> directions = EnumSet.noneOf(Direction.class);
    String directionList = flags.get("direction", null);
    if (directionList == null) {
      directions.addAll(List.of(Direction.values()));
    } else {
      for (String d : directionList.split(",")) {
        directions.add(Direction.fromLabel(d));
      }
    }
    Set<Security> securities = EnumSet.noneOf(Security.class);
    String securityList = flags.get("security", null);
    if (securityList == null) {
      securities.addAll(List.of(Security.values()));
    } else {
      for (String s : securityList.split(",")) {
        securities.add(Security.fromLabel(s));
      }
    }
    Path peerDir = Path.of(System.getProperty("rill.interop.peerDir", "interop/grpc-java-peer/target"));
    Path logDir = Path.of(System.getProperty("rill.interop.logDir", "interop/target/interop-logs"));
    return new Matrix(cases, directions, securities, peerDir, System.getProperty("java.class.path"), logDir);
  }
}
