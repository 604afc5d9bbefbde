package dev.rill.examples.user;

import java.util.function.Supplier;

/**
 * Who the RPC this thread is handling is for: the name {@link BearerAuthInterceptor} found behind the
 * token. Handlers read it with {@link #current()}.
 *
 * <p>A thread-local bound around each callback, because the stub-style handlers the generated base
 * calls see neither the request headers nor the call, only the request and the response observer. The
 * interceptor binds it around the handler's start and every listener callback, which is where
 * handler code runs.
 */
final class Caller {
  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  private Caller() {}

  /** The authenticated caller's name, or {@code null} outside an authenticated call. */
  static String current() {
    return CURRENT.get();
  }

  /** Calls {@code task} with {@code name} as the current caller. */
  static <T> T callAs(String name, Supplier<T> task) {
    String previous = CURRENT.get();
    CURRENT.set(name);
    try {
      return task.get();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  /** Runs {@code task} with {@code name} as the current caller. */
  static void runAs(String name, Runnable task) {
    callAs(name, () -> {
      task.run();
      return null;
    });
  }
}
