package dev.rill.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class FlagsTest {

  @Test
  void theClientTakesGrpcJavasFlagsWithGrpcJavasDefaults() {
    ClientSettings s = ClientSettings.parse("--server_port=9000", "--test_case=large_unary", "--use_tls=false");
    assertEquals("localhost", s.host);
    assertEquals(9000, s.port);
    assertEquals("large_unary", s.testCase);
    assertEquals(false, s.useTls);
    assertEquals(10, s.soakIterations);
    assertEquals(1000, s.soakMaxLatencyMs);
    assertEquals(271828, s.soakRequestSize);
    assertEquals(314159, s.soakResponseSize);
  }

  @Test
  void anUnknownFlagIsAnErrorThatNamesIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Flags.parse(new String[] {"--use_tsl=true"}, Set.of("use_tls")));
    assertTrue(e.getMessage().contains("--use_tsl"), e.getMessage());
  }

  @Test
  void aFlagWithoutAValueIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> Flags.parse(new String[] {"--use_tls"}, Set.of("use_tls")));
  }

  @Test
  void aBooleanFlagTakesOnlyTrueOrFalse() {
    Flags f = Flags.parse(new String[] {"--use_tls=yes"}, Set.of("use_tls"));
    assertThrows(IllegalArgumentException.class, () -> f.getBoolean("use_tls", true));
  }

  @Test
  void everyCaseTheIssueListsIsImplemented() {
    assertEquals(23, TestCases.NAMES.size());
    assertEquals(Set.of("rst_after_header", "rst_during_data", "rst_after_data", "goaway", "ping", "max_streams"),
        Http2Cases.NAMES);
  }
}
