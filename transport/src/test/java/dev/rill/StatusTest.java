package dev.rill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class StatusTest {

  @Test
  void hasTheSeventeenCanonicalCodesWithTheirWireValues() {
    String[] names = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
        "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
        "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
    assertEquals(names.length, Status.Code.values().length);
    for (int i = 0; i < names.length; i++) {
      Status.Code code = Status.Code.valueOf(names[i]);
      assertEquals(i, code.value(), names[i]);
      assertSame(code, Status.Code.forValue(i));
    }
  }

  @ParameterizedTest
  @EnumSource(Status.Code.class)
  void fromCodeValueReturnsTheSharedStatusOfTheCode(Status.Code code) {
    Status s = Status.fromCodeValue(code.value());
    assertSame(code.toStatus(), s);
    assertNull(s.description());
    assertNull(s.cause());
    assertEquals(code == Status.Code.OK, s.isOk());
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 17, 100, Integer.MIN_VALUE})
  void anUnknownCodeValueBecomesUnknownNamingIt(int value) {
    assertNull(Status.Code.forValue(value));
    Status s = Status.fromCodeValue(value);
    assertEquals(Status.Code.UNKNOWN, s.code());
    assertEquals("unknown status code " + value, s.description());
  }

  @Test
  void withDescriptionAndWithCauseReturnNewInstancesOnlyWhenSomethingChanges() {
    Status a = Status.INTERNAL.withDescription("x");
    assertSame(a, a.withDescription("x"));
    assertSame(Status.INTERNAL, Status.INTERNAL.withDescription(null));
    assertNull(Status.INTERNAL.description(), "constants are never changed");
    IOException cause = new IOException("io");
    Status b = a.withCause(cause);
    assertSame(b, b.withCause(cause));
    assertSame(cause, b.cause());
    assertEquals("x", b.description());
  }

  @Test
  void augmentDescriptionAppendsOnANewLine() {
    assertEquals("first", Status.UNKNOWN.augmentDescription("first").description());
    assertEquals("first\nsecond",
        Status.UNKNOWN.withDescription("first").augmentDescription("second").description());
    Status s = Status.UNKNOWN.withDescription("kept");
    assertSame(s, s.augmentDescription(null));
  }

  @Test
  void equalityComparesCodeAndDescriptionButNotCause() {
    assertEquals(Status.NOT_FOUND.withDescription("a"),
        Status.NOT_FOUND.withDescription("a").withCause(new RuntimeException()));
    assertEquals(Status.NOT_FOUND.withDescription("a").hashCode(), Status.NOT_FOUND.withDescription("a").hashCode());
    assertNotEquals(Status.NOT_FOUND.withDescription("a"), Status.NOT_FOUND.withDescription("b"));
    assertNotEquals(Status.NOT_FOUND, Status.ALREADY_EXISTS);
    assertNotEquals(Status.NOT_FOUND, Status.NOT_FOUND.withDescription("a"));
  }

  @Test
  void fromThrowableFindsAStatusExceptionAnywhereInTheCauseChain() {
    Status inner = Status.PERMISSION_DENIED.withDescription("nope");
    Throwable wrapped = new RuntimeException(new IllegalStateException(inner.asException()));
    assertEquals(inner, Status.fromThrowable(wrapped));
  }

  @Test
  void fromThrowableWithoutAStatusIsUnknownCarryingTheThrowable() {
    IOException e = new IOException("disk");
    Status s = Status.fromThrowable(e);
    assertEquals(Status.Code.UNKNOWN, s.code());
    assertSame(e, s.cause());
    assertNull(s.description(), "the cause stays local: nothing of it goes on the wire");
  }

  @Test
  void exceptionsCarryStatusAndTrailers() {
    Status s = Status.ABORTED.withDescription("retry").withCause(new IOException("io"));
    StatusException plain = s.asException();
    assertSame(s, plain.status());
    assertTrue(plain.trailers().isEmpty());
    assertSame(s.cause(), plain.getCause());
    assertEquals("ABORTED: retry (cause: java.io.IOException: io)", plain.getMessage());
    Metadata trailers = new Metadata().put("x-retry", "1");
    assertSame(trailers, s.asException(trailers).trailers());
    assertTrue(new StatusException(Status.OK, null).trailers().isEmpty());
  }

  @Test
  void toStringShowsCodeDescriptionAndCause() {
    assertEquals("OK", Status.OK.toString());
    assertEquals("INTERNAL: broken", Status.INTERNAL.withDescription("broken").toString());
    assertFalse(Status.CANCELLED.isOk());
  }
}
