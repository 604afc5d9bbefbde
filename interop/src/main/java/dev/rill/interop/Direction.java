package dev.rill.interop;

/** Which implementation is the client and which the server in a matrix cell. */
enum Direction {
  RILL_TO_GRPC_JAVA("rill-to-grpc-java", "Rill client -> grpc-java server"),
  GRPC_JAVA_TO_RILL("grpc-java-to-rill", "grpc-java client -> Rill server"),
  RILL_TO_RILL("rill-to-rill", "Rill client -> Rill server"),
  /** The negative HTTP/2 cases: Rill's client against the misbehaving frame-codec server. */
  RILL_TO_HTTP2_TEST_SERVER("rill-to-http2-test-server", "Rill client -> misbehaving HTTP/2 server");

  final String label;
  final String title;

  Direction(String label, String title) {
    this.label = label;
    this.title = title;
  }

  static Direction fromLabel(String label) {
    for (Direction d : values()) {
      if (d.label.equals(label)) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown direction '" + label
        + "' (known: rill-to-grpc-java, grpc-java-to-rill, rill-to-rill, rill-to-http2-test-server)");
  }
}
