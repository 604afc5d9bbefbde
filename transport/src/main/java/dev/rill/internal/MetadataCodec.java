package dev.rill.internal;

import dev.rill.Metadata;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * Converts {@link Metadata} to and from HTTP/2 header fields: ASCII values as they are, {@code -bin}
 * values base64-encoded (sent unpadded; padded and unpadded both accepted, as are comma-joined values).
 */
public final class MetadataCodec {
  private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getDecoder();

  private MetadataCodec() {}

  /**
   * The fields of a header block as name-value pairs: {@code leadingPairs} empty pairs first, for the
   * caller's protocol headers, then every entry of {@code metadata} that is not a reserved header.
   */
  public static AsciiString[] fields(int leadingPairs, Metadata metadata) {
    AsciiString[] out = new AsciiString[2 * (leadingPairs + metadata.size())];
    return trimmed(out, append(metadata, out, 2 * leadingPairs));
  }

  /** As {@link #fields(int, Metadata)}, with the entries of {@code first} before those of {@code metadata}. */
  public static AsciiString[] fields(int leadingPairs, Metadata first, Metadata metadata) {
    AsciiString[] out = new AsciiString[2 * (leadingPairs + first.size() + metadata.size())];
    return trimmed(out, append(metadata, out, append(first, out, 2 * leadingPairs)));
  }

  /** Writes the non-reserved entries of {@code metadata} into {@code out} from {@code n}; the new end. */
  private static int append(Metadata metadata, AsciiString[] out, int n) {
    for (int i = 0; i < metadata.size(); i++) {
      String key = metadata.key(i);
      if (GrpcHeaders.isReserved(key)) {
        continue;
      }
      Object value = metadata.value(i);
      out[n++] = new AsciiString(key);
      out[n++] = value instanceof String
          ? new AsciiString((String) value)
          : new AsciiString(ENCODER.encode((byte[]) value), false);
    }
    return n;
  }

  /** A read-only block takes the array as it is: no trailing empty slots. */
  private static AsciiString[] trimmed(AsciiString[] out, int n) {
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /**
   * The user-visible metadata of a header block: everything but reserved headers. An entry whose
   * name or value is not valid metadata (a bad key, bad base64, a control character) is a protocol
   * error of the peer's.
   *
   * @throws IllegalArgumentException naming the bad entry
   */
  public static Metadata fromHeaders(Http2Headers headers) {
    Metadata metadata = new Metadata();
    for (Map.Entry<CharSequence, CharSequence> e : headers) {
      CharSequence name = e.getKey();
      if (GrpcHeaders.isReserved(name)) {
        continue;
      }
      String key = name.toString();
      if (Metadata.isBinaryKey(key)) {
        CharSequence value = e.getValue();
        int start = 0;
        for (int i = 0; i <= value.length(); i++) {
          if (i == value.length() || value.charAt(i) == ',') {
            metadata.putBinary(key, decodeBase64(key, value.subSequence(start, i)));
            start = i + 1;
          }
        }
      } else {
        metadata.put(key, e.getValue().toString());
      }
    }
    return metadata;
  }

  private static byte[] decodeBase64(String key, CharSequence value) {
    String s = value.toString().trim();
    try {
      return DECODER.decode(s);
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("metadata key '" + key + "': invalid base64 value", ex);
    }
  }
}
