package dev.rill.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PercentCodecTest {
  /** grpc/grpc interop test case special_status_message. */
  private static final String SPECIAL_STATUS_MESSAGE =
      "\t\ntest with whitespace\r\nand Unicode BMP \u263A and non-BMP \uD83D\uDE08\t\n";

  @Test
  void leavesPrintableAsciiUnchanged() {
    StringBuilder all = new StringBuilder();
    for (char c = 0x20; c <= 0x7e; c++) {
      if (c != '%') {
        all.append(c);
      }
    }
    String printable = all.toString();
    assertSame(printable, PercentCodec.encode(printable), "no copy when nothing needs encoding");
    assertEquals(printable, PercentCodec.decode(printable));
  }

  @Test
  void encodesThePercentSign() {
    assertEquals("%25", PercentCodec.encode("%"));
    assertEquals("100%25 done, 50%25 left", PercentCodec.encode("100% done, 50% left"));
    assertEquals("100% done", PercentCodec.decode("100%25 done"));
  }

  @ParameterizedTest
  @CsvSource({"0, %00", "9, %09", "10, %0A", "13, %0D", "31, %1F", "127, %7F"})
  void encodesControlCharactersAsUppercaseHex(int c, String expected) {
    assertEquals(expected, PercentCodec.encode(String.valueOf((char) c)));
    assertEquals(String.valueOf((char) c), PercentCodec.decode(expected));
  }

  @Test
  void encodesTheInteropSpecialStatusMessageExactly() {
    String encoded = PercentCodec.encode(SPECIAL_STATUS_MESSAGE);
    assertEquals("%09%0Atest with whitespace%0D%0Aand Unicode BMP %E2%98%BA and non-BMP %F0%9F%98%88%09%0A",
        encoded);
    assertEquals(SPECIAL_STATUS_MESSAGE, PercentCodec.decode(encoded));
    assertEquals(SPECIAL_STATUS_MESSAGE, PercentCodec.decode(AsciiString.of(encoded)));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "\u4F60\u597D\uFF0C\u4E16\u754C", // CJK
    "\uD83D\uDE08\uD83D\uDC4D\uD83C\uDFFD", // emoji, with a skin-tone modifier
    "e\u0301 a\u0308 \u0915\u094D\u0937", // combining marks, Devanagari conjunct
    "\u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627", // right to left
    "\r\n\t\u0000\u007f",
    "caf\u00E9 \u00FF \u0100",
    "%%%25%",
  })
  void anyUnicodeSurvivesTheRoundTrip(String message) {
    String encoded = PercentCodec.encode(message);
    assertTrue(encoded.chars().allMatch(c -> c >= 0x20 && c <= 0x7e), encoded);
    assertEquals(message, PercentCodec.decode(encoded));
  }

  @Test
  void encodesUtf8BytesNotChars() {
    assertEquals("caf%C3%A9", PercentCodec.encode("caf\u00E9"));
    assertEquals("%E4%BD%A0", PercentCodec.encode("\u4F60"));
  }

  @Test
  void randomStringsSurviveTheRoundTrip() {
    Random random = new Random(42);
    for (int i = 0; i < 5_000; i++) {
      StringBuilder sb = new StringBuilder();
      int length = random.nextInt(40);
      while (sb.length() < length) {
        int cp = random.nextInt(4) == 0 ? random.nextInt(0x80) : random.nextInt(0x10FFFF);
        if (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE) {
          sb.appendCodePoint(cp);
        }
      }
      String message = sb.toString();
      assertEquals(message, PercentCodec.decode(PercentCodec.encode(message)), () -> "for " + message);
    }
  }

  @Test
  void decodesLowercaseHex() {
    assertEquals("\u263A", PercentCodec.decode("%e2%98%ba"));
    assertEquals("\u263A", PercentCodec.decode("%E2%98%bA"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"%", "%4", "%zz", "%G1", "%1G", "100%", "50% off", "%%", "a%", "%-1"})
  void keepsMalformedEscapesAsTheyStand(String malformed) {
    assertEquals(malformed, PercentCodec.decode(malformed));
  }

  @Test
  void decodesValidEscapesNextToMalformedOnes() {
    assertEquals("%A", PercentCodec.decode("%%41"));
    assertEquals("%zz \u263A %4", PercentCodec.decode("%zz %E2%98%BA %4"));
    assertEquals("100%", PercentCodec.decode("100%25"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"%FF", "%C3", "%E2%98", "%F0%9F%98", "%80", "a%C0%AFb"})
  void replacesInvalidUtf8WithTheReplacementCharacter(String encoded) {
    String decoded = PercentCodec.decode(encoded);
    assertTrue(decoded.contains("\uFFFD"), () -> encoded + " -> " + decoded);
  }

  @Test
  void keepsRawUtf8BytesOfANonConformingPeer() {
    // Header values arrive from HPACK as AsciiString, one char per byte. A peer that sends raw UTF-8
    // instead of percent-encoding it gets its text back, as grpc-java and grpc-go do.
    AsciiString raw = new AsciiString("caf\u00E9 \u263A".getBytes(StandardCharsets.UTF_8));
    assertEquals("caf\u00E9 \u263A", PercentCodec.decode(raw));
    AsciiString mixed = new AsciiString("\u263A %E2%98%BA".getBytes(StandardCharsets.UTF_8));
    assertEquals("\u263A \u263A", PercentCodec.decode(mixed));
  }

  @Test
  void decodesTheEmptyString() {
    assertEquals("", PercentCodec.decode(""));
    assertEquals("", PercentCodec.encode(""));
  }
}
