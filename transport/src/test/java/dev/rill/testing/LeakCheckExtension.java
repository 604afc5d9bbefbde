package dev.rill.testing;

import io.netty.util.LeakPresenceDetector;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves a {@code ByteBuf} (or any other Netty reference-counted resource)
 * alive when it finishes.
 *
 * <p>Registered for every test class of every module that has the transport test-jar on its test
 * classpath, through {@code META-INF/services/org.junit.jupiter.api.extension.Extension} and
 * {@code junit.jupiter.extensions.autodetection.enabled=true} in {@code junit-platform.properties}.
 * The test JVM must run with {@code -Dio.netty.customResourceLeakDetector=io.netty.util.LeakPresenceDetector}
 * (the root pom's {@code rill.test.argLine} does this for surefire).
 *
 * <p>How Netty's {@link LeakPresenceDetector} works, and what that means for tests:
 *
 * <ul>
 *   <li>It does not sample and does not wait for the garbage collector: every tracked resource
 *       increments one JVM-wide counter when allocated and decrements it when released, whatever
 *       thread does either. So buffers allocated on an event loop count as much as the test
 *       thread's, and the check cannot tell which test class a buffer belongs to: test classes must
 *       not run in parallel within one JVM.
 *   <li>{@link LeakPresenceDetector#check()} resets the counter when it reports. A leaked buffer that
 *       is released <em>after</em> the report drives the counter negative, and the next check fails
 *       with "Resource count was negative". That is why this extension does not poll {@code check()}:
 *       it first waits (bounded, {@value #SETTLE_PROPERTY}, default 5 s) for the count to drop to
 *       zero without resetting it, so buffers still in flight on an event loop right after a server
 *       or channel shut down get to be released, and only then calls {@code check()} once.
 *   <li>A buffer allocated in a static initializer (a constant like a preface or a ping payload)
 *       is tracked like any other and reported as a leak ("Resource created in static
 *       initializer"), unless the allocation is wrapped in {@link
 *       LeakPresenceDetector#staticInitializer}: {@code static final ByteBuf X =
 *       LeakPresenceDetector.staticInitializer(() -> Unpooled.unreleasableBuffer(...));}. The same
 *       holds for anything else that lives for the JVM's lifetime (a shared server started once for
 *       several classes keeps its buffers alive and fails the first class that finishes).
 *   <li>The exception lists where the leaked buffers were allocated (up to six stacks, with the
 *       allocating thread and its state) only with {@code
 *       -Dio.netty.util.LeakPresenceDetector.trackCreationStack=true}; paranoid level alone does
 *       not record them in Netty 4.2.
 * </ul>
 *
 * <p>The check runs after a top-level class's {@code @AfterAll} methods. {@link Nested} classes are
 * skipped: their enclosing class may legitimately hold resources (a running server) while they run,
 * and the enclosing class is checked when it finishes.
 *
 * <p>Configuration parameters (JUnit configuration parameters, so system properties or {@code
 * junit-platform.properties}): {@value #SETTLE_PROPERTY} (milliseconds to wait for in-flight
 * buffers, default {@value #DEFAULT_SETTLE_MILLIS}) and {@value #DISABLED_PROPERTY} ({@code true}
 * turns the check off, e.g. in an IDE run without the detector).
 */
public final class LeakCheckExtension implements AfterAllCallback {
  /** Milliseconds to wait for released-but-still-in-flight buffers before failing. */
  public static final String SETTLE_PROPERTY = "rill.leakcheck.settle-millis";
  /** {@code true} disables the check. */
  public static final String DISABLED_PROPERTY = "rill.leakcheck.disabled";

  static final long DEFAULT_SETTLE_MILLIS = 5_000;
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  @Override
  public void afterAll(ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    if (isNested(testClass)
        || context.getConfigurationParameter(DISABLED_PROPERTY).map(Boolean::parseBoolean).orElse(false)) {
      return;
    }
    Duration settle = Duration.ofMillis(context.getConfigurationParameter(SETTLE_PROPERTY)
        .map(Long::parseLong)
        .orElse(DEFAULT_SETTLE_MILLIS));
    try {
      assertNoLeaks(settle);
    } catch (AssertionError e) {
      AssertionError named = new AssertionError(testClass.getName() + ": " + e.getMessage(), e.getCause());
      named.setStackTrace(new StackTraceElement[0]);
      throw named;
    }
  }

  /**
   * Waits up to {@code settle} for every tracked resource to be released, then asks the detector.
   * Usable directly, e.g. between phases of a test.
   *
   * @throws AssertionError if resources are still alive (the detector's report is the cause), or if
   *     the leak detector is not in use
   */
  public static void assertNoLeaks(Duration settle) {
    ResourceLeakDetector<Object> detector =
        ResourceLeakDetectorFactory.instance().newResourceLeakDetector(Object.class);
    if (!(detector instanceof LeakPresenceDetector)) {
      throw new AssertionError("leak check: the JVM does not run LeakPresenceDetector but "
          + detector.getClass().getName() + "; start it with "
          + "-Dio.netty.customResourceLeakDetector=io.netty.util.LeakPresenceDetector (or set "
          + DISABLED_PROPERTY + "=true)");
    }
    if (detector.getClass() == LeakPresenceDetector.class) {
      // A subclass may pick its own scope; the probe only knows the global one.
      awaitSettled(ScopeProbe.GLOBAL, settle);
    }
    try {
      LeakPresenceDetector.check();
    } catch (IllegalStateException e) {
      boolean stacks = e.getSuppressed().length > 0;
      throw new AssertionError("leak check: resources still alive after waiting " + settle.toMillis()
          + " ms (every ByteBuf must be released, including those handed to or allocated by event loops)"
          + (stacks ? "" : "; run with -Dio.netty.util.LeakPresenceDetector.trackCreationStack=true "
              + "to see where they were allocated")
          + ": " + e.getMessage(), e);
    }
  }

  /** Polls, without resetting anything, until no tracked resource is open or the time is up. */
  private static void awaitSettled(LeakPresenceDetector.ResourceScope scope, Duration settle) {
    long deadline = System.nanoTime() + settle.toNanos();
    while (scope.hasOpenResources() && deadline - System.nanoTime() > 0) {
      LockSupport.parkNanos(POLL_NANOS);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  static boolean isNested(Class<?> testClass) {
    return testClass.isAnnotationPresent(Nested.class)
        || testClass.getEnclosingClass() != null && !java.lang.reflect.Modifier.isStatic(testClass.getModifiers());
  }

  /**
   * Reads the scope {@link LeakPresenceDetector} counts in ({@code currentScope()} is protected),
   * without allocating or tracking anything.
   */
  private static final class ScopeProbe extends LeakPresenceDetector<Object> {
    static final LeakPresenceDetector.ResourceScope GLOBAL = new ScopeProbe().currentScope();

    private ScopeProbe() {
      super(Object.class);
    }
  }
}
