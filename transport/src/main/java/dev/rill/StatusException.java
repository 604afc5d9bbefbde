package dev.rill;

/**
 * An RPC failure: a {@link Status} plus the trailers the peer sent with it (or will send, when thrown
 * from a server handler). Unchecked, so it passes through stream callbacks and futures unchanged.
 */
public final class StatusException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Status status;
  private final transient Metadata trailers;

  public StatusException(Status status) {
    this(status, null);
  }

  public StatusException(Status status, Metadata trailers) {
    super(status.toString(), status.cause());
    this.status = status;
    this.trailers = trailers == null ? new Metadata() : trailers;
  }

  public Status status() {
    return status;
  }

  /** Trailers received with (or to be sent with) the status; empty if there were none. */
  public Metadata trailers() {
    return trailers;
  }
}
