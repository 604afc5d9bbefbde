package dev.rill.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GrpcTimeoutTest {
  private static final String UNITS = "numSMH";
  private static final long[] UNIT_NANOS = {
    1L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L, 3_600_000_000_000L
  };

  @Test
  void encodesShortTimeoutsInNanoseconds() {
    assertEquals("1n", GrpcTimeout.encode(1));
    assertEquals("12345n", GrpcTimeout.encode(12_345));
    assertEquals("99999999n", GrpcTimeout.encode(99_999_999));
  }

  @ParameterizedTest(name = "{0} ns -> {1}")
  @CsvSource({
    "100000000, 100000u",
    "99999999000, 99999999u",
    "99999999001, 100000m",
    "99999999000000, 99999999m",
    "100000000000000, 100000S",
    "99999999000000000, 99999999S",
    "99999999000000001, 1666667M",
    "6000000000000000000, 1666667H",
  })
  void encodesTimeoutInTheFinestUnitThatFitsEightDigits(long nanos, String expected) {
    assertEquals(expected, GrpcTimeout.encode(nanos));
  }

  @Test
  void roundsUpSoThePeerNeverSeesLessTimeThanTheCaller() {
    assertEquals("100001u", GrpcTimeout.encode(100_000_001));
    assertEquals("100001u", GrpcTimeout.encode(100_000_999));
    assertEquals("100000u", GrpcTimeout.encode(100_000_000));
    assertEquals("1000001m", GrpcTimeout.encode(1_000_000_000_001L));
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1, -1_000_000_000L, Long.MIN_VALUE})
  void encodesAnExpiredTimeoutAsOneNanosecond(long nanos) {
    assertEquals("1n", GrpcTimeout.encode(nanos));
  }

  @Test
  void encodesTheLargestTimeoutWithoutOverflowing() {
    String encoded = GrpcTimeout.encode(Long.MAX_VALUE);
    assertEquals("2562048H", encoded);
    assertEquals(Long.MAX_VALUE, GrpcTimeout.decode(encoded), "saturates on the way back");
  }

  @ParameterizedTest(name = "7{0}")
  @CsvSource({"n, 7", "u, 7000", "m, 7000000", "S, 7000000000", "M, 420000000000", "H, 25200000000000"})
  void decodesEveryUnit(char unit, long nanos) {
    assertEquals(nanos, GrpcTimeout.decode("7" + unit));
  }

  @Test
  void decodesEightDigitsAndLeadingZeros() {
    assertEquals(99_999_999L, GrpcTimeout.decode("99999999n"));
    assertEquals(TimeUnit.SECONDS.toNanos(5), GrpcTimeout.decode("00000005S"));
    assertEquals(0, GrpcTimeout.decode("0m"));
  }

  @Test
  void decodesAnyCharSequence() {
    assertEquals(TimeUnit.MILLISECONDS.toNanos(250),
        GrpcTimeout.decode(io.netty.util.AsciiString.of("250m")));
  }

  @Test
  void saturatesTimeoutsBeyondTheNanosecondRange() {
    assertEquals(Long.MAX_VALUE, GrpcTimeout.decode("99999999H"));
    assertEquals(Long.MAX_VALUE, GrpcTimeout.decode("2562048H"));
    assertEquals(99_999_999L * 60_000_000_000L, GrpcTimeout.decode("99999999M"), "still fits");
    assertEquals(99_999_999L * 1_000_000_000L, GrpcTimeout.decode("99999999S"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"5x", "5s", "5h", "5 ", "12", "5N"})
  void rejectsAnUnknownUnitNamingIt(String value) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GrpcTimeout.decode(value));
    assertEquals("grpc-timeout: bad unit '" + value.charAt(value.length() - 1) + "'", e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"1a0S|a", "-5S|-", "+5S|+", "' 5S'|' '", "5.5S|.", "1_000m|_"})
  void rejectsANonDigitNamingIt(String value, char bad) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GrpcTimeout.decode(value));
    assertEquals("grpc-timeout: bad digit '" + bad + "' in '" + value + "'", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"123456789S", "000000001n", "99999999999H"})
  void rejectsMoreThanEightDigits(String value) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GrpcTimeout.decode(value));
    assertEquals("grpc-timeout: more than 8 digits in '" + value + "'", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "S", "5"})
  void rejectsAValueWithoutBothDigitsAndUnit(String value) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GrpcTimeout.decode(value));
    assertEquals("grpc-timeout: too short '" + value + "'", e.getMessage());
  }

  @Test
  void roundTripNeverLosesTimeAndOvershootsByLessThanOneUnit() {
    Random random = new Random(0x5eed);
    for (int i = 0; i < 200_000; i++) {
      // Spread over every magnitude so that every unit is exercised.
      long nanos = Math.max(1, random.nextLong() >>> random.nextInt(64));
      assertRoundTrip(nanos);
    }
    for (int shift = 0; shift < 63; shift++) {
      assertRoundTrip(1L << shift);
      assertRoundTrip((1L << shift) + 1);
      assertRoundTrip((2L << shift) - 1);
    }
    for (long unit : UNIT_NANOS) {
      for (long digits : new long[] {1, 9, 99_999_999, 100_000_000}) {
        if (unit * digits / digits == unit) {
          assertRoundTrip(unit * digits - 1);
          assertRoundTrip(unit * digits);
          assertRoundTrip(unit * digits + 1);
        }
      }
    }
    assertRoundTrip(Long.MAX_VALUE);
  }

  private static void assertRoundTrip(long nanos) {
    if (nanos <= 0) {
      return;
    }
    String encoded = GrpcTimeout.encode(nanos);
    int u = UNITS.indexOf(encoded.charAt(encoded.length() - 1));
    assertTrue(u >= 0, () -> nanos + " -> " + encoded + ": bad unit");
    String digits = encoded.substring(0, encoded.length() - 1);
    assertTrue(digits.matches("[1-9][0-9]{0,7}"), () -> nanos + " -> " + encoded + ": not 1-8 digits");
    long decoded = GrpcTimeout.decode(encoded);
    assertTrue(decoded >= nanos, () -> nanos + " -> " + encoded + " -> " + decoded + ": lost time");
    if (decoded != Long.MAX_VALUE) {
      assertTrue(decoded - nanos < UNIT_NANOS[u],
          () -> nanos + " -> " + encoded + " -> " + decoded + ": overshoots by a unit or more");
    }
    if (u > 0) {
      long finer = nanos / UNIT_NANOS[u - 1] + (nanos % UNIT_NANOS[u - 1] == 0 ? 0 : 1);
      assertTrue(finer > 99_999_999L, () -> nanos + " -> " + encoded + ": a finer unit fits");
    }
  }
}
