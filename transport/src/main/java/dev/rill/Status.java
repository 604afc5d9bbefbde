package dev.rill;

import java.util.Objects;

/**
 * The outcome of an RPC: a {@link Code} plus an optional human-readable description and an optional
 * local cause. Immutable; the {@code with*} methods return new instances.
 *
 * <p>The description travels on the wire as {@code grpc-message}; the cause never leaves the process.
 */
public final class Status {

  /** The 17 canonical gRPC status codes (grpc/grpc {@code doc/statuscodes.md}). */
  public enum Code {
    OK(0),
    CANCELLED(1),
    UNKNOWN(2),
    INVALID_ARGUMENT(3),
    DEADLINE_EXCEEDED(4),
    NOT_FOUND(5),
    ALREADY_EXISTS(6),
    PERMISSION_DENIED(7),
    RESOURCE_EXHAUSTED(8),
    FAILED_PRECONDITION(9),
    ABORTED(10),
    OUT_OF_RANGE(11),
    UNIMPLEMENTED(12),
    INTERNAL(13),
    UNAVAILABLE(14),
    DATA_LOSS(15),
    UNAUTHENTICATED(16);

    private static final Code[] BY_VALUE = values();

    private final int value;

    Code(int value) {
      this.value = value;
    }

    /** The numeric value sent as {@code grpc-status}. */
    public int value() {
      return value;
    }

    /** A status with this code and no description. */
    public Status toStatus() {
      return BY_CODE[ordinal()];
    }

    /** The code for {@code value}, or {@code null} if {@code value} is not one of the 17 codes. */
    public static Code forValue(int value) {
      return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }
  }

  /**
   * The description-less status of each code, by ordinal. Kept here, not in {@link Code}, and built
   * first: a Code constant that created a Status made class initialization order-dependent (touching
   * {@code Status.Code} before {@code Status} left {@link #OK} and the other constants null).
   */
  private static final Status[] BY_CODE = byCode();

  private static Status[] byCode() {
    Code[] codes = Code.values();
    Status[] statuses = new Status[codes.length];
    for (Code c : codes) {
      statuses[c.ordinal()] = new Status(c, null, null);
    }
    return statuses;
  }

  public static final Status OK = Code.OK.toStatus();
  public static final Status CANCELLED = Code.CANCELLED.toStatus();
  public static final Status UNKNOWN = Code.UNKNOWN.toStatus();
  public static final Status INVALID_ARGUMENT = Code.INVALID_ARGUMENT.toStatus();
  public static final Status DEADLINE_EXCEEDED = Code.DEADLINE_EXCEEDED.toStatus();
  public static final Status NOT_FOUND = Code.NOT_FOUND.toStatus();
  public static final Status ALREADY_EXISTS = Code.ALREADY_EXISTS.toStatus();
  public static final Status PERMISSION_DENIED = Code.PERMISSION_DENIED.toStatus();
  public static final Status RESOURCE_EXHAUSTED = Code.RESOURCE_EXHAUSTED.toStatus();
  public static final Status FAILED_PRECONDITION = Code.FAILED_PRECONDITION.toStatus();
  public static final Status ABORTED = Code.ABORTED.toStatus();
  public static final Status OUT_OF_RANGE = Code.OUT_OF_RANGE.toStatus();
  public static final Status UNIMPLEMENTED = Code.UNIMPLEMENTED.toStatus();
  public static final Status INTERNAL = Code.INTERNAL.toStatus();
  public static final Status UNAVAILABLE = Code.UNAVAILABLE.toStatus();
  public static final Status DATA_LOSS = Code.DATA_LOSS.toStatus();
  public static final Status UNAUTHENTICATED = Code.UNAUTHENTICATED.toStatus();

  private final Code code;
  private final String description;
  private final Throwable cause;

  private Status(Code code, String description, Throwable cause) {
    this.code = Objects.requireNonNull(code, "code");
    this.description = description;
    this.cause = cause;
  }

  /** The status for a numeric code; an unknown value becomes UNKNOWN naming the value. */
  public static Status fromCodeValue(int value) {
    Code code = Code.forValue(value);
    return code != null ? code.toStatus() : UNKNOWN.withDescription("unknown status code " + value);
  }

  /**
   * The status carried by {@code t} or one of its causes if it is a {@link StatusException};
   * otherwise UNKNOWN with {@code t} as the cause.
   */
  public static Status fromThrowable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StatusException) {
        return ((StatusException) c).status();
      }
    }
    return UNKNOWN.withCause(t);
  }

  public Code code() {
    return code;
  }

  /** The description, or {@code null} if there is none. */
  public String description() {
    return description;
  }

  /** The local cause, or {@code null}. Never sent to the peer. */
  public Throwable cause() {
    return cause;
  }

  public boolean isOk() {
    return code == Code.OK;
  }

  public Status withDescription(String description) {
    return Objects.equals(this.description, description) ? this : new Status(code, description, cause);
  }

  /** Appends {@code detail} to the existing description, separated by a newline. */
  public Status augmentDescription(String detail) {
    if (detail == null) {
      return this;
    }
    return withDescription(description == null ? detail : description + "\n" + detail);
  }

  public Status withCause(Throwable cause) {
    return this.cause == cause ? this : new Status(code, description, cause);
  }

  public StatusException asException() {
    return new StatusException(this, null);
  }

  public StatusException asException(Metadata trailers) {
    return new StatusException(this, trailers);
  }

  /** Equal code and description; the cause is not compared. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Status
        && ((Status) o).code == code
        && Objects.equals(((Status) o).description, description);
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, description);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(code.name());
    if (description != null) {
      sb.append(": ").append(description);
    }
    if (cause != null) {
      sb.append(" (cause: ").append(cause).append(')');
    }
    return sb.toString();
  }
}
