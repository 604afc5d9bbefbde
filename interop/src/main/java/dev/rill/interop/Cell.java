package dev.rill.interop;

/** One result of the matrix: a case run in one direction over one kind of security. */
final class Cell {
  enum Outcome { PASS, FAIL, PEER_LACKS_FEATURE }

  final String testCase;
  final Direction direction;
  final Security security;
  final Outcome outcome;
  /** Why it failed, or what ran instead; null for a plain pass. */
  final String detail;

  Cell(String testCase, Direction direction, Security security, Outcome outcome, String detail) {
    this.testCase = testCase;
    this.direction = direction;
    this.security = security;
    this.outcome = outcome;
    this.detail = detail;
  }

  /** The cell as the table shows it. */
  String shortText() {
    switch (outcome) {
      case PASS: return "pass";
      case FAIL: return "FAIL";
      default: return "peer lacks feature";
    }
  }

  @Override
  public String toString() {
    return direction.label + " " + security.label + " " + testCase + ": " + outcome
        + (detail == null ? "" : " (" + detail + ")");
  }
}
