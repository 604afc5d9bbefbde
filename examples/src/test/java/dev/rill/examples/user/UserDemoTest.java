package dev.rill.examples.user;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What {@code ./rill demo} runs, run here: it must pass its own checks, plaintext and over TLS. */
class UserDemoTest {

  private static String runDemo(boolean tls) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean passed;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      passed = UserDemo.run(tls, out);
    }
    String output = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(passed, output);
    return output;
  }

  private static void assertContains(String output, String expected) {
    assertTrue(output.contains(expected), "missing '" + expected + "' in:\n" + output);
  }

  @Test
  void theDemoPassesItsChecksOverPlaintext() throws Exception {
    String output = runDemo(false);

    assertContains(output, "over plaintext HTTP/2");
    assertContains(output, "failed_emails [not-an-email, ADA@example.com]");
    assertContains(output, "page 2 (page_token=\"2\"): users [3], the last page");
    assertContains(output, "bob   <- alice: hi bob, how are the compilers?");
    assertContains(output, "GetUser(user_id=999) as alice -> NOT_FOUND: user 999 not found");
    assertContains(output, "with 'Bearer stolen-token' -> UNAUTHENTICATED: invalid bearer token");
    assertContains(output, "server log: user.v1.UserService/GetUser -> UNAUTHENTICATED");
    assertContains(output, "demo: all 21 checks passed");
  }

  @Test
  void theDemoPassesItsChecksOverTlsWithItsThrowawayCertificate() throws Exception {
    String output = runDemo(true);

    assertContains(output, "over TLS");
    assertContains(output, "demo: all 21 checks passed");
  }
}
