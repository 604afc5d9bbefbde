package dev.rill.client;

import dev.rill.Deadline;
import dev.rill.Metadata;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Per-call settings: deadline, compression, extra request metadata, callback executor. Immutable;
 * each {@code with*} returns a copy.
 */
public final class CallOptions {
  public static final CallOptions DEFAULT = new CallOptions(null, null, null, null);

  private final Deadline deadline;
  private final String compression;
  private final Metadata headers;
  private final Executor executor;

  private CallOptions(Deadline deadline, String compression, Metadata headers, Executor executor) {
    this.deadline = deadline;
    this.compression = compression;
    this.headers = headers;
    this.executor = executor;
  }

  /** The deadline, or {@code null}. */
  public Deadline deadline() {
    return deadline;
  }

  /** The request encoding (e.g. "gzip"), or {@code null} for none. */
  public String compression() {
    return compression;
  }

  /** Metadata added to every request made with these options, or {@code null}. Do not modify. */
  public Metadata headers() {
    return headers;
  }

  /** The executor for listener callbacks, or {@code null} for the channel's. */
  public Executor executor() {
    return executor;
  }

  public CallOptions withDeadline(Deadline deadline) {
    return new CallOptions(deadline, compression, headers, executor);
  }

  public CallOptions withDeadlineAfter(long duration, TimeUnit unit) {
    return withDeadline(Deadline.after(duration, unit));
  }

  /** Compresses request messages with {@code encoding} ("gzip", or a codec registered on the channel). */
  public CallOptions withCompression(String encoding) {
    return new CallOptions(deadline, encoding, headers, executor);
  }

  /** Adds {@code extra} to the request metadata of calls made with these options. */
  public CallOptions withHeaders(Metadata extra) {
    Metadata merged = new Metadata();
    if (headers != null) {
      merged.merge(headers);
    }
    merged.merge(Objects.requireNonNull(extra));
    return new CallOptions(deadline, compression, merged, executor);
  }

  public CallOptions withExecutor(Executor executor) {
    return new CallOptions(deadline, compression, headers, executor);
  }

  @Override
  public String toString() {
    return "CallOptions[deadline=" + deadline + ", compression=" + compression + ", headers=" + headers + "]";
  }
}
