package dev.rill.client;

import dev.rill.Marshaller;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** UTF-8 strings as messages: keeps end-to-end tests free of generated code. */
final class StringMarshaller implements Marshaller<String> {
  static final StringMarshaller INSTANCE = new StringMarshaller();

  @Override
  public void write(String message, ByteBuf out) {
    out.writeCharSequence(message, StandardCharsets.UTF_8);
  }

  @Override
  public String parse(ByteBuf in) {
    return in.toString(StandardCharsets.UTF_8);
  }
}
