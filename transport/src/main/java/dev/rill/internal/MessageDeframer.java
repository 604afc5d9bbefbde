package dev.rill.internal;

import dev.rill.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;

/**
 * Reads gRPC's length-prefixed messages out of a stream's DATA frames and hands them out only as
 * fast as they are {@link #request requested}.
 *
 * <p>Flow control: bytes are reported to {@link Listener#bytesRead} (to be returned to the HTTP/2
 * window) only when they are taken into a message that has been requested. A receiver that asks for
 * nothing buffers at most one stream window; a requested message larger than the window still
 * completes, since its bytes are returned as they arrive.
 *
 * <p>Owned by the stream's event loop; not thread-safe.
 */
public final class MessageDeframer {

  /** Receives what the deframer reads. Called on the event loop. */
  public interface Listener {
    /** A whole message; the listener owns {@code message}. */
    void messageRead(ByteBuf message, boolean compressed);

    /** {@code count} bytes of DATA were consumed and may be returned to the flow-control window. */
    void bytesRead(int count);

    /** The peer ended the stream and every message before the end has been delivered. */
    void endOfStream();

    /** The input is not valid gRPC framing; the deframer has closed itself. */
    void deframeFailed(Status status);
  }

  /** Initial capacity cap for a message that spans frames; it grows as its bytes arrive. */
  private static final int MAX_INITIAL_BODY = 64 * 1024;

  private final Listener listener;
  private final ByteBufAllocator alloc;
  private final int maxMessageSize;

  /**
   * Received, unread DATA, oldest first: {@code head}, then {@code rest}, which is created only when a
   * second buffer waits (a message usually arrives in one frame). Every buffer has readable bytes;
   * {@code head} is null only when nothing is queued.
   */
  private ByteBuf head;
  private ArrayDeque<ByteBuf> rest;
  private int queuedBytes;
  /** Messages requested and not yet delivered. */
  private int demand;
  /** True while a message header has been read and its body is pending. */
  private boolean inBody;
  private boolean compressed;
  private int bodyLength;
  /** The body of a message that spans DATA frames, or null. */
  private ByteBuf body;
  private boolean endOfStream;
  private boolean closed;
  private boolean delivering;

  public MessageDeframer(Listener listener, ByteBufAllocator alloc, int maxMessageSize) {
    this.listener = listener;
    this.alloc = alloc;
    this.maxMessageSize = maxMessageSize;
  }

  /** Adds a DATA frame's payload (ownership passes to the deframer) and delivers what is requested. */
  public void deframe(ByteBuf data, boolean endOfStream) {
    if (closed) {
      data.release();
      return;
    }
    if (data.isReadable()) {
      enqueue(data);
      queuedBytes += data.readableBytes();
    } else {
      data.release();
    }
    if (endOfStream) {
      this.endOfStream = true;
    }
    deliver();
  }

  /** Marks the end of input without more data (e.g. trailers arrived). */
  public void endOfStream() {
    deframe(Unpooled.EMPTY_BUFFER, true);
  }

  /** Asks for {@code count} more messages. */
  public void request(int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("request: count must be positive, got " + count);
    }
    demand = (int) Math.min(Integer.MAX_VALUE, (long) demand + count);
    deliver();
  }

  /** Whether complete or partial input is still buffered. */
  public boolean hasBufferedInput() {
    return queuedBytes > 0 || inBody;
  }

  public boolean isClosed() {
    return closed;
  }

  /** Releases everything buffered; later input is discarded. */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (ByteBuf b; (b = poll()) != null; ) {
      b.release();
    }
    queuedBytes = 0;
    if (body != null) {
      body.release();
      body = null;
    }
  }

  private void deliver() {
    if (delivering) {
      return;
    }
    delivering = true;
    try {
      while (!closed && demand > 0 && readMessage()) {
        demand--;
      }
      if (!closed && endOfStream && !hasBufferedInput()) {
        close();
        listener.endOfStream();
      } else if (!closed && endOfStream && demand > 0) {
        fail(Status.INTERNAL.withDescription(inBody
            ? "grpc frame: stream ended inside a message (" + (body == null ? 0 : body.readableBytes())
                + " of " + bodyLength + " bytes)"
            : "grpc frame: stream ended inside a message header (" + queuedBytes + " of 5 bytes)"));
      }
    } finally {
      delivering = false;
    }
  }

  /** Reads one message if it is complete, returning whether one was delivered. */
  private boolean readMessage() {
    if (!inBody) {
      if (queuedBytes < MessageFramer.HEADER_LENGTH) {
        return false;
      }
      int flags = readUnsignedByte();
      int length = (readUnsignedByte() << 24) | (readUnsignedByte() << 16) | (readUnsignedByte() << 8)
          | readUnsignedByte();
      listener.bytesRead(MessageFramer.HEADER_LENGTH);
      if ((flags & ~MessageFramer.FLAG_COMPRESSED) != 0) {
        fail(Status.INTERNAL.withDescription(
            "grpc frame: reserved flag bits set (flags 0x" + Integer.toHexString(flags) + ")"));
        return false;
      }
      if (length < 0 || length > maxMessageSize) {
        fail(Status.RESOURCE_EXHAUSTED.withDescription("grpc frame: message of "
            + Integer.toUnsignedString(length) + " bytes exceeds the limit of " + maxMessageSize + " bytes"));
        return false;
      }
      inBody = true;
      compressed = (flags & MessageFramer.FLAG_COMPRESSED) != 0;
      bodyLength = length;
    }
    ByteBuf message;
    if (body == null && bodyLength == 0) {
      message = Unpooled.EMPTY_BUFFER;
    } else if (body == null && head != null && head.readableBytes() >= bodyLength) {
      message = head.readRetainedSlice(bodyLength);
      consumed(bodyLength);
    } else {
      if (body == null) {
        body = alloc.buffer(Math.min(bodyLength, MAX_INITIAL_BODY), bodyLength);
      }
      while (body.readableBytes() < bodyLength && head != null) {
        int n = Math.min(head.readableBytes(), bodyLength - body.readableBytes());
        body.writeBytes(head, n);
        consumed(n);
      }
      if (body.readableBytes() < bodyLength) {
        return false;
      }
      message = body;
      body = null;
    }
    inBody = false;
    listener.messageRead(message, compressed);
    return true;
  }

  private void consumed(int n) {
    queuedBytes -= n;
    if (!head.isReadable()) {
      poll().release();
    }
    listener.bytesRead(n);
  }

  private int readUnsignedByte() {
    int b = head.readUnsignedByte();
    queuedBytes--;
    if (!head.isReadable()) {
      poll().release();
    }
    return b;
  }

  private void enqueue(ByteBuf data) {
    if (head == null) {
      head = data;
    } else {
      if (rest == null) {
        rest = new ArrayDeque<>(4);
      }
      rest.add(data);
    }
  }

  /** Removes and returns the oldest buffer, or null. */
  private ByteBuf poll() {
    ByteBuf b = head;
    head = rest == null ? null : rest.poll();
    return b;
  }

  private void fail(Status status) {
    close();
    listener.deframeFailed(status);
  }
}
