package dev.rill.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.util.LeakPresenceDetector;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The leak check itself. Every test that leaks does so on purpose, checks that the report happens,
 * and then releases what it leaked and absorbs the detector's follow-up report, so the class ends
 * clean for the real check that runs after it.
 */
class LeakCheckExtensionTest {
  private static final boolean CREATION_STACKS =
      Boolean.getBoolean("io.netty.util.LeakPresenceDetector.trackCreationStack");

  @BeforeEach
  @AfterEach
  void nothingIsAliveAroundEachTest() {
    LeakCheckExtension.assertNoLeaks(Duration.ofSeconds(5));
  }

  @Test
  void anUnreleasedPooledBufferFailsTheCheck() {
    assertLeakIsReported(PooledByteBufAllocator.DEFAULT.directBuffer(32));
  }

  @Test
  void anUnreleasedUnpooledDirectBufferFailsTheCheck() {
    assertLeakIsReported(UnpooledByteBufAllocator.DEFAULT.directBuffer(32));
  }

  @Test
  void anUnpooledHeapBufferIsInvisibleToTheCheck() {
    // Netty never tracks unpooled heap buffers (the GC reclaims them), so a test that wants its
    // leaks caught must use pooled or direct buffers.
    ByteBuf untracked = Unpooled.buffer(32);
    try {
      assertDoesNotThrow(() -> LeakCheckExtension.assertNoLeaks(Duration.ZERO));
    } finally {
      untracked.release();
    }
  }

  @Test
  void aDerivedBufferThatKeepsItsParentAliveFailsTheCheck() {
    ByteBuf parent = ByteBufAllocator.DEFAULT.buffer(8).writeLong(42);
    ByteBuf slice = parent.readRetainedSlice(4);
    parent.release();
    assertLeakIsReported(slice);
  }

  @Test
  void aBufferLeakedByAnotherThreadFailsTheCheck() throws Exception {
    EventLoop loop = new DefaultEventLoop();
    try {
      ByteBuf leaked = loop.submit(() -> ByteBufAllocator.DEFAULT.buffer(16)).get(5, TimeUnit.SECONDS);
      AssertionError e = assertLeakIsReported(leaked);
      if (CREATION_STACKS) {
        assertTrue(e.getCause().getSuppressed()[0].getMessage().contains("defaultEventLoop"),
            () -> "creation stack should name the allocating thread: " + e.getCause().getSuppressed()[0]);
      }
    } finally {
      loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void aBufferReleasedByAnEventLoopWhileTheCheckWaitsPasses() throws Exception {
    EventLoop loop = new DefaultEventLoop();
    try {
      ByteBuf inFlight = ByteBufAllocator.DEFAULT.buffer(16).writeInt(7);
      loop.schedule(() -> inFlight.release(), 200, TimeUnit.MILLISECONDS);
      long start = System.nanoTime();
      assertDoesNotThrow(() -> LeakCheckExtension.assertNoLeaks(Duration.ofSeconds(10)));
      assertEquals(0, inFlight.refCnt());
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10),
          "the wait ends as soon as the buffer is released");
    } finally {
      loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void theWaitIsBoundedWhenNothingIsReleased() {
    ByteBuf leaked = ByteBufAllocator.DEFAULT.buffer(16);
    long start = System.nanoTime();
    assertLeakIsReported(leaked, Duration.ofMillis(300));
    long waited = System.nanoTime() - start;
    assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(300), "waits the settle time: " + waited);
    assertTrue(waited < TimeUnit.SECONDS.toNanos(5), "then gives up: " + waited);
  }

  @Test
  void aConstantAllocatedInsideStaticInitializerIsNotCounted() {
    assertEquals(42, WrappedConstant.VALUE.getInt(0));
    assertDoesNotThrow(() -> LeakCheckExtension.assertNoLeaks(Duration.ZERO));
  }

  @Test
  void aConstantAllocatedInAPlainStaticInitializerIsReported() {
    AssertionError e = assertLeakIsReported(PlainConstant.VALUE);
    if (CREATION_STACKS) {
      assertTrue(e.getCause().getSuppressed()[0].getMessage().contains("static initializer"),
          () -> String.valueOf(e.getCause().getSuppressed()[0]));
    }
  }

  @Test
  void afterAllFailsTheTestClassNamingIt() {
    ByteBuf leaked = ByteBufAllocator.DEFAULT.buffer(16);
    try {
      AssertionError e = assertThrows(AssertionError.class,
          () -> new LeakCheckExtension().afterAll(context(LeakCheckExtensionTest.class, "50")));
      assertTrue(e.getMessage().startsWith(LeakCheckExtensionTest.class.getName() + ": leak check:"),
          e.getMessage());
      assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
    } finally {
      releaseAfterReport(leaked);
    }
  }

  @Test
  void afterAllPassesWhenEverythingWasReleased() {
    ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(16);
    buf.release();
    assertDoesNotThrow(() -> new LeakCheckExtension().afterAll(context(LeakCheckExtensionTest.class, "0")));
  }

  @Test
  void afterAllLeavesNestedClassesToTheirEnclosingClass() {
    ByteBuf heldByEnclosingClass = ByteBufAllocator.DEFAULT.buffer(16);
    try {
      assertTrue(LeakCheckExtension.isNested(Inner.class));
      assertDoesNotThrow(() -> new LeakCheckExtension().afterAll(context(Inner.class, "0")));
    } finally {
      heldByEnclosingClass.release(); // never reported, so no follow-up report to absorb
    }
  }

  @Test
  void staticMemberClassesAreCheckedLikeTopLevelClasses() {
    assertTrue(!LeakCheckExtension.isNested(WrappedConstant.class));
  }

  @Test
  void theCheckCanBeSwitchedOff() {
    ByteBuf leaked = ByteBufAllocator.DEFAULT.buffer(16);
    try {
      ExtensionContext off = context(LeakCheckExtensionTest.class,
          Map.of(LeakCheckExtension.DISABLED_PROPERTY, "true"));
      assertDoesNotThrow(() -> new LeakCheckExtension().afterAll(off));
    } finally {
      leaked.release();
    }
  }

  @Test
  void theExtensionIsRegisteredForAutoDetection() throws Exception {
    try (var in = getClass().getResourceAsStream(
        "/META-INF/services/org.junit.jupiter.api.extension.Extension")) {
      String services = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(services.lines().anyMatch(LeakCheckExtension.class.getName()::equals), services);
    }
    java.util.Properties props = new java.util.Properties();
    try (var in = getClass().getResourceAsStream("/junit-platform.properties")) {
      props.load(in);
    }
    assertEquals("true", props.getProperty("junit.jupiter.extensions.autodetection.enabled"));
  }

  /** Expects the check to report {@code leaked}, then releases it and absorbs the aftermath. */
  private static AssertionError assertLeakIsReported(ByteBuf leaked) {
    return assertLeakIsReported(leaked, Duration.ofMillis(50));
  }

  private static AssertionError assertLeakIsReported(ByteBuf leaked, Duration settle) {
    try {
      AssertionError e = assertThrows(AssertionError.class, () -> LeakCheckExtension.assertNoLeaks(settle));
      assertTrue(e.getMessage().contains("Possible memory leak detected"), e.getMessage());
      assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
      if (CREATION_STACKS) {
        assertTrue(e.getCause().getSuppressed().length > 0, "the report lists creation stacks");
      }
      return e;
    } finally {
      releaseAfterReport(leaked);
    }
  }

  /**
   * Releases a buffer the detector may already have reported. Reporting resets the detector's
   * count, so the release takes it below zero, which the next check reports in turn; that report is
   * expected here and swallowed so that it does not fail the class.
   */
  private static void releaseAfterReport(ByteBuf leaked) {
    assertTrue(leaked.release(), "released for good");
    try {
      LeakPresenceDetector.check();
    } catch (IllegalStateException e) {
      if (!e.getMessage().contains("negative")) {
        throw e;
      }
    }
  }

  private static ExtensionContext context(Class<?> testClass, String settleMillis) {
    return context(testClass, Map.of(LeakCheckExtension.SETTLE_PROPERTY, settleMillis));
  }

  /** Just enough of an {@link ExtensionContext} for {@link LeakCheckExtension#afterAll}. */
  private static ExtensionContext context(Class<?> testClass, Map<String, String> config) {
    return (ExtensionContext) Proxy.newProxyInstance(
        ExtensionContext.class.getClassLoader(), new Class<?>[] {ExtensionContext.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "getRequiredTestClass":
              return testClass;
            case "getTestClass":
              return Optional.of(testClass);
            case "getConfigurationParameter":
              if (args.length == 1) {
                return Optional.ofNullable(config.get((String) args[0]));
              }
              break;
            case "toString":
              return "ExtensionContext[" + testClass.getSimpleName() + "]";
            default:
              break;
          }
          throw new UnsupportedOperationException(method.toString());
        });
  }

  @Nested
  class Inner {
    @Test
    void isSkippedByTheCheck() {
      assertTrue(LeakCheckExtension.isNested(Inner.class));
    }
  }

  private static final class WrappedConstant {
    static final ByteBuf VALUE = LeakPresenceDetector.staticInitializer(
        () -> Unpooled.unreleasableBuffer(Unpooled.directBuffer(4).writeInt(42)));
  }

  private static final class PlainConstant {
    static final ByteBuf VALUE = Unpooled.directBuffer(4).writeInt(42);
  }
}
