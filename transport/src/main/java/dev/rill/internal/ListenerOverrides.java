package dev.rill.internal;

/**
 * Whether a listener's class overrides one of its base class's optional no-op callbacks, so that an
 * event nobody listens to (a unary handler's onComplete, a blocking stub's onReady) costs no executor
 * hand-off. Thread-safe; the answer is cached per class.
 */
public final class ListenerOverrides {
  private final Class<?> base;
  private final String method;
  private final ClassValue<Boolean> overrides = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      try {
        return type.getMethod(method).getDeclaringClass() != base;
      } catch (NoSuchMethodException e) {
        throw new IllegalArgumentException(base.getName() + " has no public " + method + "()", e);
      }
    }
  };

  /** {@code method} names a public no-argument method of {@code base}. */
  public ListenerOverrides(Class<?> base, String method) {
    this.base = base;
    this.method = method;
    overrides.get(base);
  }

  /** True unless {@code listener} inherits the base class's implementation unchanged. */
  public boolean by(Object listener) {
    return overrides.get(listener.getClass());
  }
}
