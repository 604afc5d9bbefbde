package dev.rill;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/** A {@link Marshaller} for protobuf messages, writing into and parsing from buffers without copies. */
public final class ProtoMarshaller<T extends MessageLite> implements Marshaller<T> {
  private final Parser<T> parser;
  private final T defaultInstance;

  private ProtoMarshaller(T defaultInstance) {
    this.defaultInstance = defaultInstance;
    @SuppressWarnings("unchecked")
    Parser<T> p = (Parser<T>) defaultInstance.getParserForType();
    this.parser = p;
  }

  /** The marshaller for the type of {@code defaultInstance} (e.g. {@code Foo.getDefaultInstance()}). */
  public static <T extends MessageLite> ProtoMarshaller<T> of(T defaultInstance) {
    return new ProtoMarshaller<>(defaultInstance);
  }

  /** The default instance of the message type. */
  public T defaultInstance() {
    return defaultInstance;
  }

  @Override
  public void write(T message, ByteBuf out) {
    int size = message.getSerializedSize();
    if (size == 0) {
      return;
    }
    out.ensureWritable(size);
    int writerIndex = out.writerIndex();
    try {
      CodedOutputStream cos;
      if (out.hasArray()) {
        cos = CodedOutputStream.newInstance(out.array(), out.arrayOffset() + writerIndex, size);
      } else {
        cos = CodedOutputStream.newInstance(out.internalNioBuffer(writerIndex, size));
      }
      message.writeTo(cos);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("protobuf: serializing " + message.getClass().getName(), e);
    }
    out.writerIndex(writerIndex + size);
  }

  @Override
  public T parse(ByteBuf in) {
    int length = in.readableBytes();
    try {
      if (length == 0) {
        return defaultInstance;
      }
      CodedInputStream cis;
      if (in.hasArray()) {
        cis = CodedInputStream.newInstance(in.array(), in.arrayOffset() + in.readerIndex(), length);
      } else if (in.nioBufferCount() == 1) {
        ByteBuffer nio = in.nioBuffer();
        cis = CodedInputStream.newInstance(nio);
      } else {
        cis = CodedInputStream.newInstance(new ByteBufInputStream(in.duplicate()));
      }
      // Never alias: the buffer is released as soon as parse returns.
      cis.setSizeLimit(Integer.MAX_VALUE);
      T message = parser.parseFrom(cis, ExtensionRegistryLite.getEmptyRegistry());
      cis.checkLastTagWas(0);
      return message;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          "protobuf: invalid " + defaultInstance.getClass().getSimpleName() + " (" + length + " bytes): "
              + e.getMessage(), e);
    }
  }
}
