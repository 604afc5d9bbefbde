package dev.rill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MetadataTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "x-user-id", "trace_id", "v1.2", "0123456789", "abc-bin", "grpc-foo"})
  void acceptsLowercaseKeysOfDigitsLettersDashUnderscoreAndDot(String key) {
    Metadata.checkKey(key);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "X-User|X|0",
    "x-User|U|2",
    ":path|:|0",
    "key with space|' '|3",
    "caf\u00E9|\u00E9|3",
    "a/b|/|1",
  })
  void rejectsABadKeyNamingTheCharacterAndItsPosition(String key, char bad, int at) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Metadata.checkKey(key));
    assertEquals("metadata key '" + key + "': bad character '" + bad + "' at " + at
        + " (allowed: 0-9 a-z - _ .)", e.getMessage());
  }

  @Test
  void rejectsAnEmptyOrMissingKey() {
    assertEquals("metadata key: empty",
        assertThrows(IllegalArgumentException.class, () -> Metadata.checkKey("")).getMessage());
    assertEquals("metadata key: empty",
        assertThrows(IllegalArgumentException.class, () -> new Metadata().put(null, "v")).getMessage());
  }

  @Test
  void putAndPutBinaryValidateTheKeyToo() {
    assertThrows(IllegalArgumentException.class, () -> new Metadata().put("Bad", "v"));
    assertThrows(IllegalArgumentException.class, () -> new Metadata().putBinary("Bad-bin", new byte[0]));
  }

  @Test
  void binaryKeysNeedBinaryValuesAndTheOtherWayRound() {
    IllegalArgumentException ascii =
        assertThrows(IllegalArgumentException.class, () -> new Metadata().put("blob-bin", "x"));
    assertEquals("metadata key 'blob-bin': binary key needs putBinary", ascii.getMessage());
    IllegalArgumentException binary =
        assertThrows(IllegalArgumentException.class, () -> new Metadata().putBinary("blob", new byte[1]));
    assertEquals("metadata key 'blob': binary values need a -bin key", binary.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"10, a", "13, 0", "9, 0", "127, 0", "233, 0", "0, 0"})
  void rejectsNonPrintableAsciiValuesNamingTheCharacter(int c, String hex) {
    String value = "ab" + (char) c;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Metadata().put("k", value));
    assertEquals("metadata value for 'k': non-printable character 0x" + Integer.toHexString(c)
        + " at 2 (use a -bin key for binary data)", e.getMessage());
  }

  @Test
  void acceptsEveryPrintableAsciiValue() {
    StringBuilder sb = new StringBuilder();
    for (char c = 0x21; c <= 0x7e; c++) {
      sb.append(c).append(c == 0x7e ? "" : " ");
    }
    Metadata m = new Metadata().put("k", sb.toString()).put("empty", "");
    assertEquals(sb.toString(), m.get("k"));
    assertEquals("", m.get("empty"));
  }

  @Test
  void rejectsAValueThatStartsOrEndsWithASpaceAsHttp2Does() {
    for (String bad : new String[] {" lead", "trail ", " "}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new Metadata().put("k", bad));
      assertEquals("metadata value for 'k': leading or trailing space is not allowed in HTTP/2", e.getMessage());
    }
  }

  @Test
  void rejectsNullValuesNamingTheKey() {
    assertEquals("metadata value for 'k'",
        assertThrows(NullPointerException.class, () -> new Metadata().put("k", null)).getMessage());
    assertEquals("metadata value for 'k-bin'",
        assertThrows(NullPointerException.class, () -> new Metadata().putBinary("k-bin", null)).getMessage());
  }

  @Test
  void keepsRepeatedKeysInOrderAndGetReturnsTheLast() {
    Metadata m = new Metadata().put("k", "1").put("other", "x").put("k", "2").put("k", "3");
    assertEquals("3", m.get("k"));
    assertEquals(List.of("1", "2", "3"), m.getAll("k"));
    assertEquals(4, m.size());
    assertEquals(List.of("k", "other"), List.copyOf(m.keys()));
    assertNull(m.get("missing"));
    assertEquals(List.of(), m.getAll("missing"));
  }

  @Test
  void storesBinaryValuesWithoutCopying() {
    byte[] value = {0, 1, 2, (byte) 0xff};
    Metadata m = new Metadata().putBinary("blob-bin", value).putBinary("blob-bin", new byte[] {9});
    assertArrayEquals(new byte[] {9}, m.getBinary("blob-bin"));
    assertSame(value, m.getAllBinary("blob-bin").get(0));
    assertEquals(2, m.getAllBinary("blob-bin").size());
    assertNull(m.getBinary("missing-bin"));
  }

  @Test
  void readsAcrossKinds() {
    Metadata m = new Metadata().put("k", "abc").putBinary("b-bin", new byte[] {'h', 'i', (byte) 0xe9});
    assertArrayEquals(new byte[] {'a', 'b', 'c'}, m.getBinary("k"));
    assertEquals("hi\u00E9", m.get("b-bin"), "binary read as ISO-8859-1");
  }

  @Test
  void removeAllDropsEveryValueOfAKeyAndKeepsTheRestInOrder() {
    Metadata m = new Metadata().put("a", "1").put("b", "2").put("a", "3").put("c", "4");
    assertTrue(m.removeAll("a"));
    assertFalse(m.removeAll("a"));
    assertEquals(2, m.size());
    assertEquals("b", m.key(0));
    assertEquals("c", m.key(1));
    assertFalse(m.containsKey("a"));
    m.put("a", "5");
    assertEquals(List.of("5"), m.getAll("a"));
  }

  @Test
  void growsPastItsInitialCapacity() {
    Metadata m = new Metadata();
    for (int i = 0; i < 1000; i++) {
      m.put("k" + (i % 7), Integer.toString(i));
    }
    assertEquals(1000, m.size());
    assertEquals("999", m.get("k5"));
    assertEquals("0", m.getAll("k0").get(0));
  }

  @Test
  void mergeAppendsEveryEntryOfTheOther() {
    Metadata a = new Metadata().put("x", "1");
    Metadata b = new Metadata().put("x", "2").putBinary("y-bin", new byte[] {1});
    assertSame(a, a.merge(b));
    assertEquals(List.of("1", "2"), a.getAll("x"));
    assertArrayEquals(new byte[] {1}, a.getBinary("y-bin"));
    assertEquals(2, b.size(), "the other is unchanged");
  }

  @Test
  void mergingWithItselfDoublesTheEntries() {
    Metadata m = new Metadata().put("x", "1").put("y", "2");
    m.merge(m);
    assertEquals(4, m.size());
    assertEquals(List.of("1", "1"), m.getAll("x"));
  }

  @Test
  void entriesAreReadableByIndexInWireOrder() {
    byte[] blob = {1, 2};
    Metadata m = new Metadata().put("a", "1").putBinary("b-bin", blob);
    assertEquals("a", m.key(0));
    assertEquals("1", m.value(0));
    assertEquals("b-bin", m.key(1));
    assertSame(blob, m.value(1));
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> m.key(2));
    assertEquals("metadata index 2 of 2", e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> m.value(-1));
  }

  @Test
  void isEmptyUntilSomethingIsPut() {
    Metadata m = new Metadata();
    assertTrue(m.isEmpty());
    assertEquals(0, m.size());
    m.put("k", "v");
    assertFalse(m.isEmpty());
  }

  @Test
  void toStringShowsAsciiValuesAndOnlyTheSizeOfBinaryOnes() {
    Metadata m = new Metadata().put("a", "1").putBinary("secret-bin", new byte[] {1, 2, 3});
    assertEquals("Metadata{a=1, secret-bin=<3 bytes>}", m.toString());
  }

  @Test
  void recognisesBinaryKeysBySuffix() {
    assertTrue(Metadata.isBinaryKey("x-bin"));
    assertTrue(Metadata.isBinaryKey("grpc-status-details-bin"));
    assertFalse(Metadata.isBinaryKey("x-bins"));
    assertFalse(Metadata.isBinaryKey("bin"));
  }
}
