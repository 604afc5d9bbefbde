package dev.rill;

/** The four kinds of RPC. */
public enum MethodType {
  UNARY(false, false),
  CLIENT_STREAMING(true, false),
  SERVER_STREAMING(false, true),
  BIDI_STREAMING(true, true);

  private final boolean clientStreams;
  private final boolean serverStreams;

  MethodType(boolean clientStreams, boolean serverStreams) {
    this.clientStreams = clientStreams;
    this.serverStreams = serverStreams;
  }

  /** Whether the client may send more than one message. */
  public boolean clientStreams() {
    return clientStreams;
  }

  /** Whether the server may send more than one message. */
  public boolean serverStreams() {
    return serverStreams;
  }
}
