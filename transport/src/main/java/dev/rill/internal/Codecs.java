package dev.rill.internal;

import dev.rill.Codec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** The built-in codecs: identity and gzip. */
public final class Codecs {
  public static final Codec IDENTITY = new Identity();
  public static final Codec GZIP = new Gzip();

  private Codecs() {}

  private static final class Identity implements Codec {
    @Override
    public String name() {
      return "identity";
    }

    @Override
    public ByteBuf compress(ByteBuf in, ByteBufAllocator alloc) {
      return in.retainedDuplicate();
    }

    @Override
    public ByteBuf decompress(ByteBuf in, ByteBufAllocator alloc, int maxBytes) throws IOException {
      if (in.readableBytes() > maxBytes) {
        throw new MessageTooLargeException(
            "message of " + in.readableBytes() + " bytes exceeds the limit of " + maxBytes);
      }
      return in.retainedDuplicate();
    }

    @Override
    public String toString() {
      return "Codec[identity]";
    }
  }

  private static final class Gzip implements Codec {
    @Override
    public String name() {
      return "gzip";
    }

    @Override
    public ByteBuf compress(ByteBuf in, ByteBufAllocator alloc) throws IOException {
      ByteBuf out = alloc.buffer(Math.max(64, in.readableBytes() / 2));
      try (GZIPOutputStream gz = new GZIPOutputStream(new ByteBufOutputStream(out), 8192)) {
        in.getBytes(in.readerIndex(), gz, in.readableBytes());
      } catch (IOException | RuntimeException e) {
        out.release();
        throw e;
      }
      return out;
    }

    @Override
    public ByteBuf decompress(ByteBuf in, ByteBufAllocator alloc, int maxBytes) throws IOException {
      ByteBuf out = alloc.buffer(Math.min(maxBytes, Math.max(256, in.readableBytes() * 2)));
      try (InputStream gz = new GZIPInputStream(new ByteBufInputStream(in.duplicate()), 8192)) {
        while (true) {
          if (out.writerIndex() == maxBytes) {
            if (gz.read() < 0) {
              break;
            }
            throw new MessageTooLargeException(
                "decompressed message exceeds the limit of " + maxBytes + " bytes");
          }
          out.ensureWritable(Math.min(8192, maxBytes - out.writerIndex()));
          int n = out.writeBytes(gz, Math.min(out.writableBytes(), maxBytes - out.writerIndex()));
          if (n < 0) {
            break;
          }
        }
      } catch (IOException | RuntimeException e) {
        out.release();
        throw e;
      }
      return out;
    }

    @Override
    public String toString() {
      return "Codec[gzip]";
    }
  }
}
