package dev.rill.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The percent-encoding of {@code grpc-message}: UTF-8 bytes, with every byte outside printable ASCII
 * (0x20-0x7E) and every {@code %} written as {@code %XX} (PROTOCOL-HTTP2.md).
 */
public final class PercentCodec {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PercentCodec() {}

  public static String encode(String message) {
    int i = 0;
    int n = message.length();
    while (i < n && isUnreserved(message.charAt(i))) {
      i++;
    }
    if (i == n) {
      return message;
    }
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      char c = (char) (b & 0xff);
      if (isUnreserved(c)) {
        sb.append(c);
      } else {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return sb.toString();
  }

  /**
   * Decodes {@code %XX} sequences and reads the bytes as UTF-8. A malformed sequence is kept as it
   * stands and invalid UTF-8 becomes U+FFFD: a status message is never dropped for its encoding.
   */
  public static String decode(CharSequence encoded) {
    int n = encoded.length();
    boolean plain = true;
    for (int i = 0; i < n && plain; i++) {
      char c = encoded.charAt(i);
      plain = c != '%' && c < 0x80;
    }
    if (plain) {
      return encoded.toString();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(n);
    for (int i = 0; i < n; i++) {
      char c = encoded.charAt(i);
      if (c == '%' && i + 2 < n && hex(encoded.charAt(i + 1)) >= 0 && hex(encoded.charAt(i + 2)) >= 0) {
        out.write(hex(encoded.charAt(i + 1)) << 4 | hex(encoded.charAt(i + 2)));
        i += 2;
      } else if (c <= 0xff) {
        // Header values arrive one char per byte: raw (unencoded) UTF-8 from a non-conforming
        // peer is kept as the bytes it is, as grpc-java and grpc-go do.
        out.write(c);
      } else {
        byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(raw, 0, raw.length);
      }
    }
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  private static boolean isUnreserved(char c) {
    return c >= 0x20 && c <= 0x7e && c != '%';
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }
}
