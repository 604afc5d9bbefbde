package dev.rill.bench;

import java.nio.ByteBuffer;

/** gRPC's length-prefixed message framing for the bench's ready-made bytes (floor responses, h2load requests). */
final class GrpcFrames {
  private GrpcFrames() {}

  /** {@code message} behind an uncompressed 5-byte prefix. */
  static byte[] frame(byte[] message) {
    return ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message).array();
  }
}
