package dev.rill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Class initialization order cannot be tested in a JVM where {@link Status} is already loaded, so
 * this test starts a fresh one whose first touch of the class is {@code Status.Code}.
 */
class StatusClassInitTest {

  /** Runs in the fresh JVM: uses {@code Status.Code} before anything else loads {@code Status}. */
  static final class TouchCodeFirst {
    public static void main(String[] args) {
      Status s = Status.Code.UNIMPLEMENTED.toStatus();
      System.out.print(s.code() + " " + Status.OK.code() + " " + Status.fromCodeValue(5).code());
    }
  }

  @Test
  void statusWorksWhenItsCodeEnumIsTheFirstThingAJvmTouches() throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), TouchCodeFirst.class.getName())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    assertEquals("UNIMPLEMENTED OK NOT_FOUND", out, "output of a JVM that touched Status.Code first");
    assertEquals(0, p.exitValue());
  }
}
