package dev.rill;

import io.netty.buffer.ByteBuf;

/**
 * Turns messages into bytes and back.
 *
 * <p>Called on the thread that sends or receives the message (an application thread, or the event
 * loop for handlers that run there); implementations must be thread-safe and should not block.
 * {@link ProtoMarshaller} is the protobuf implementation generated stubs use.
 */
public interface Marshaller<T> {

  /**
   * Appends the serialized form of {@code message} to {@code out} (growing it as needed). Must not
   * retain or release {@code out}.
   */
  void write(T message, ByteBuf out);

  /**
   * Parses one whole message from the readable bytes of {@code in}. Must not retain or release
   * {@code in}, and the result must not refer to its memory (the buffer is released after parsing).
   *
   * @throws RuntimeException if the bytes are not a valid message; the call then fails with
   *     INTERNAL naming the exception
   */
  T parse(ByteBuf in);
}
