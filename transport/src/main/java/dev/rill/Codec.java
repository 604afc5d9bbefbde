package dev.rill;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;

/**
 * A message compression algorithm named by {@code grpc-encoding}. Rill ships {@link #IDENTITY} and
 * {@link #GZIP}; register others on the server or channel builder.
 *
 * <p>Implementations are stateless and thread-safe; they run on the thread that sends or receives
 * the message.
 */
public interface Codec {
  /** No compression. */
  Codec IDENTITY = dev.rill.internal.Codecs.IDENTITY;

  /** gzip (RFC 1952), as every gRPC implementation supports it. */
  Codec GZIP = dev.rill.internal.Codecs.GZIP;

  /** The {@code grpc-encoding} token, e.g. {@code "gzip"}. */
  String name();

  /** Compresses the readable bytes of {@code in} (not released) into a new buffer. */
  ByteBuf compress(ByteBuf in, ByteBufAllocator alloc) throws IOException;

  /**
   * Decompresses the readable bytes of {@code in} (not released) into a new buffer.
   *
   * @throws MessageTooLargeException as soon as the output would exceed {@code maxBytes}, so a
   *     compression bomb never inflates in memory
   */
  ByteBuf decompress(ByteBuf in, ByteBufAllocator alloc, int maxBytes) throws IOException;

  /** Thrown by {@link #decompress} when the output passes its limit. */
  final class MessageTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    public MessageTooLargeException(String message) {
      super(message);
    }
  }
}
