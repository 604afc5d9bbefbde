package dev.rill.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The interop matrix of {@code ./rill interop}, as tests: every case in every direction over every
 * kind of security, one test per cell. The whole matrix runs once (servers reused across cases,
 * grpc-java's client cases in one JVM per security) and each test then checks its cell.
 */
class InteropMatrixTest {

  @TestFactory
  Stream<DynamicTest> everyCellOfTheMatrixPassesOrSaysThePeerLacksTheFeature() throws Exception {
    Set<String> cases = new LinkedHashSet<>(TestCases.NAMES);
    cases.addAll(Http2Cases.NAMES);
    Matrix matrix = new Matrix(cases, EnumSet.allOf(Direction.class), EnumSet.allOf(Security.class),
        Path.of(System.getProperty("rill.interop.peerDir", "grpc-java-peer/target")),
        System.getProperty("java.class.path"),
        Path.of(System.getProperty("rill.interop.logDir", "target/interop-logs")));
    List<Cell> cells = matrix.run();
    assertEquals(expectedCellCount(), cells.size(), "the matrix has one cell per case, direction and security");
    List<DynamicTest> tests = new ArrayList<>();
    for (Cell c : cells) {
      tests.add(DynamicTest.dynamicTest(sentence(c), () -> check(c)));
    }
    return tests.stream();
  }

  private static int expectedCellCount() {
    return TestCases.NAMES.size() * 3 * Security.values().length + Http2Cases.NAMES.size();
  }

  private static String sentence(Cell c) {
    return c.testCase + " works from " + c.direction.title.replace(" -> ", " to ") + " over " + c.security.label;
  }

  private static void check(Cell c) {
    switch (c.outcome) {
      case PASS:
        return;
      case PEER_LACKS_FEATURE:
        // Never a pass: the stand-in must have passed, and the cell itself is reported as skipped.
        assertTrue(c.detail.endsWith(": pass"), "the _noprobe stand-in failed: " + c.detail);
        Assumptions.abort("peer lacks feature: " + c.detail);
        return;
      default:
        throw new AssertionError(c.detail);
    }
  }
}
