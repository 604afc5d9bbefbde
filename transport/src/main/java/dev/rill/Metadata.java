package dev.rill;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Custom metadata of a call: request headers, response headers or trailers.
 *
 * <p>Keys are lowercase ASCII ({@code 0-9 a-z - _ .}). A key ending in {@code -bin} holds binary
 * values ({@link #putBinary}), sent base64-encoded; every other key holds printable-ASCII values
 * ({@link #put}) that neither start nor end with a space, as HTTP/2 requires. A key may repeat;
 * order is kept.
 *
 * <p>Not thread-safe: one thread owns an instance at a time. Once handed to a call (as headers or
 * trailers), the call owns it and the caller must not change it.
 */
public final class Metadata {
  private static final String BINARY_SUFFIX = "-bin";
  /** Most metadata stays empty: its array is allocated on the first entry. */
  private static final Object[] NO_ENTRIES = {};

  /** Alternating keys (String) and values (String or byte[]). */
  private Object[] entries;
  private int size;

  public Metadata() {
    entries = NO_ENTRIES;
  }

  /** Whether {@code key} names binary values. */
  public static boolean isBinaryKey(String key) {
    return key.endsWith(BINARY_SUFFIX);
  }

  /** Adds an ASCII value. */
  public Metadata put(String key, String value) {
    checkKey(key);
    if (isBinaryKey(key)) {
      throw new IllegalArgumentException("metadata key '" + key + "': binary key needs putBinary");
    }
    checkAsciiValue(key, value);
    add(key, value);
    return this;
  }

  /** Adds a binary value to a key ending in {@code -bin}. The array is not copied. */
  public Metadata putBinary(String key, byte[] value) {
    checkKey(key);
    if (!isBinaryKey(key)) {
      throw new IllegalArgumentException("metadata key '" + key + "': binary values need a -bin key");
    }
    if (value == null) {
      throw new NullPointerException("metadata value for '" + key + "'");
    }
    add(key, value);
    return this;
  }

  /** The last ASCII value of {@code key}, or {@code null}. For a {@code -bin} key, the value as ISO-8859-1. */
  public String get(String key) {
    for (int i = size - 1; i >= 0; i--) {
      if (entries[2 * i].equals(key)) {
        return asString(entries[2 * i + 1]);
      }
    }
    return null;
  }

  /** The last binary value of {@code key}, or {@code null}. */
  public byte[] getBinary(String key) {
    for (int i = size - 1; i >= 0; i--) {
      if (entries[2 * i].equals(key)) {
        return asBytes(entries[2 * i + 1]);
      }
    }
    return null;
  }

  /** Every ASCII value of {@code key}, in order; empty if none. */
  public List<String> getAll(String key) {
    List<String> out = new ArrayList<>(2);
    for (int i = 0; i < size; i++) {
      if (entries[2 * i].equals(key)) {
        out.add(asString(entries[2 * i + 1]));
      }
    }
    return out;
  }

  /** Every binary value of {@code key}, in order; empty if none. */
  public List<byte[]> getAllBinary(String key) {
    List<byte[]> out = new ArrayList<>(2);
    for (int i = 0; i < size; i++) {
      if (entries[2 * i].equals(key)) {
        out.add(asBytes(entries[2 * i + 1]));
      }
    }
    return out;
  }

  public boolean containsKey(String key) {
    for (int i = 0; i < size; i++) {
      if (entries[2 * i].equals(key)) {
        return true;
      }
    }
    return false;
  }

  /** Removes every value of {@code key}; returns whether there was any. */
  public boolean removeAll(String key) {
    int w = 0;
    for (int r = 0; r < size; r++) {
      if (!entries[2 * r].equals(key)) {
        entries[2 * w] = entries[2 * r];
        entries[2 * w + 1] = entries[2 * r + 1];
        w++;
      }
    }
    boolean removed = w != size;
    Arrays.fill(entries, 2 * w, 2 * size, null);
    size = w;
    return removed;
  }

  /** The distinct keys, in first-seen order. */
  public Set<String> keys() {
    Set<String> keys = new LinkedHashSet<>();
    for (int i = 0; i < size; i++) {
      keys.add((String) entries[2 * i]);
    }
    return Collections.unmodifiableSet(keys);
  }

  /** Number of key-value pairs. */
  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Appends every entry of {@code other}. */
  public Metadata merge(Metadata other) {
    for (int i = 0, n = other.size; i < n; i++) { // n fixed: other may be this
      add((String) other.entries[2 * i], other.entries[2 * i + 1]);
    }
    return this;
  }

  /** The key of entry {@code i}, for iteration in wire order. */
  public String key(int i) {
    checkIndex(i);
    return (String) entries[2 * i];
  }

  /** The raw value of entry {@code i}: a String for ASCII keys, a byte[] for {@code -bin} keys. */
  public Object value(int i) {
    checkIndex(i);
    return entries[2 * i + 1];
  }

  private void checkIndex(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("metadata index " + i + " of " + size);
    }
  }

  private void add(String key, Object value) {
    if (2 * size + 2 > entries.length) {
      entries = Arrays.copyOf(entries, Math.max(8, entries.length * 2));
    }
    entries[2 * size] = key;
    entries[2 * size + 1] = value;
    size++;
  }

  /** Validates a key as HTTP/2 and gRPC require: non-empty, lowercase {@code 0-9 a-z - _ .}. */
  public static void checkKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("metadata key: empty");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')) {
        throw new IllegalArgumentException(
            "metadata key '" + key + "': bad character '" + c + "' at " + i + " (allowed: 0-9 a-z - _ .)");
      }
    }
  }

  private static void checkAsciiValue(String key, String value) {
    if (value == null) {
      throw new NullPointerException("metadata value for '" + key + "'");
    }
    if (!value.isEmpty() && (value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ')) {
      // RFC 9113 section 8.2.1: a field value must not start or end with whitespace; peers reset
      // the stream, so the mistake is reported here, where it is made.
      throw new IllegalArgumentException(
          "metadata value for '" + key + "': leading or trailing space is not allowed in HTTP/2");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException(
            "metadata value for '" + key + "': non-printable character 0x"
                + Integer.toHexString(c) + " at " + i + " (use a -bin key for binary data)");
      }
    }
  }

  private static String asString(Object value) {
    return value instanceof String ? (String) value : new String((byte[]) value, StandardCharsets.ISO_8859_1);
  }

  private static byte[] asBytes(Object value) {
    return value instanceof byte[] ? (byte[]) value : ((String) value).getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Metadata{");
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(entries[2 * i]).append('=');
      Object v = entries[2 * i + 1];
      sb.append(v instanceof String ? v : "<" + ((byte[]) v).length + " bytes>");
    }
    return sb.append('}').toString();
  }
}
