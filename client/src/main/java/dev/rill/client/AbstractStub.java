package dev.rill.client;

import dev.rill.Deadline;
import dev.rill.Metadata;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The base of generated stubs: a channel plus call options. Immutable; each {@code with*} returns a
 * new stub of the same type. Thread-safe.
 */
public abstract class AbstractStub<S extends AbstractStub<S>> {
  private final Channel channel;
  private final CallOptions options;

  protected AbstractStub(Channel channel, CallOptions options) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** A stub of this type on {@code channel} with {@code options}. */
  protected abstract S build(Channel channel, CallOptions options);

  public final Channel channel() {
    return channel;
  }

  public final CallOptions options() {
    return options;
  }

  public final S withDeadline(Deadline deadline) {
    return build(channel, options.withDeadline(deadline));
  }

  public final S withDeadlineAfter(long duration, TimeUnit unit) {
    return build(channel, options.withDeadlineAfter(duration, unit));
  }

  /** Compresses requests with {@code encoding}, e.g. "gzip". */
  public final S withCompression(String encoding) {
    return build(channel, options.withCompression(encoding));
  }

  /** Adds {@code headers} to the request metadata of every call. */
  public final S withMetadata(Metadata headers) {
    return build(channel, options.withHeaders(headers));
  }

  public final S withExecutor(Executor executor) {
    return build(channel, options.withExecutor(executor));
  }

  public final S withInterceptors(ClientInterceptor... interceptors) {
    return build(ClientInterceptor.intercept(channel, interceptors), options);
  }
}
