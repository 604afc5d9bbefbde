package dev.rill.internal;

import dev.rill.Codec;
import dev.rill.Marshaller;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes gRPC's length-prefixed messages: a flags byte (bit 0: compressed), a 4-byte big-endian
 * length, then the payload. Stateless; runs on whichever thread sends.
 */
public final class MessageFramer {
  /** Size of the prefix before every message. */
  public static final int HEADER_LENGTH = 5;
  static final int FLAG_COMPRESSED = 1;

  private MessageFramer() {}

  /**
   * Serializes and frames one message into a new buffer the caller owns. With a non-identity
   * {@code codec} the payload is compressed and the compressed flag set.
   */
  public static <T> ByteBuf frame(T message, Marshaller<T> marshaller, Codec codec, ByteBufAllocator alloc) {
    ByteBuf buf = alloc.buffer(256);
    try {
      buf.writeZero(HEADER_LENGTH);
      marshaller.write(message, buf);
      int length = buf.readableBytes() - HEADER_LENGTH;
      if (codec == null || codec == Codecs.IDENTITY || length == 0) {
        buf.setInt(1, length);
        return buf;
      }
      ByteBuf compressed = codec.compress(buf.skipBytes(HEADER_LENGTH), alloc);
      buf.clear().writeByte(FLAG_COMPRESSED).writeInt(compressed.readableBytes());
      return alloc.compositeBuffer(2).addComponents(true, buf, compressed);
    } catch (IOException e) {
      buf.release();
      throw new UncheckedIOException(codec.name() + ": compressing message", e);
    } catch (RuntimeException | Error e) {
      buf.release();
      throw e;
    }
  }
}
