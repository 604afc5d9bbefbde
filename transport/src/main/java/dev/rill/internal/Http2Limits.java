package dev.rill.internal;

/**
 * The HTTP/2 defaults Rill applies on both sides, each a protection or a gRPC convention. Servers and
 * channels apply them through Netty's handler builder so Netty's own flood protections stay on.
 */
public final class Http2Limits {
  /** gRPC's default cap on one inbound message (grpc-java, grpc-go): 4 MiB. */
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE = 4 * 1024 * 1024;

  /** Advertised SETTINGS_MAX_HEADER_LIST_SIZE, as grpc-java and grpc-go: 8 KiB of metadata. */
  public static final int DEFAULT_MAX_HEADER_LIST_SIZE = 8 * 1024;

  /** Stream and connection flow-control window, as grpc-java's default: 1 MiB. */
  public static final int DEFAULT_FLOW_CONTROL_WINDOW = 1024 * 1024;

  /** Advertised SETTINGS_MAX_CONCURRENT_STREAMS on servers; more streams are refused. */
  public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 1000;

  /**
   * RST_STREAM frames a peer may send per window before the connection is closed with
   * ENHANCE_YOUR_CALM (rapid reset, CVE-2023-44487). Netty's own default, 200 per 30 s, also stops a
   * client that legitimately cancels many calls; attacks run at tens of thousands per second.
   */
  public static final int MAX_RST_FRAMES_PER_WINDOW = 1000;

  /** The rapid-reset window, in seconds. */
  public static final int RST_WINDOW_SECONDS = 10;

  /** Empty DATA frames in a row before the connection is closed as a flood. */
  public static final int MAX_CONSECUTIVE_EMPTY_DATA_FRAMES = 2;

  /** Control frames (PING/SETTINGS acks, RST) queued unflushed before the peer is deemed abusive. */
  public static final int MAX_QUEUED_CONTROL_FRAMES = 10_000;

  /** Small CONTINUATION frames allowed per header block (CONTINUATION flood, CVE-2024-27316 kind). */
  public static final int MAX_SMALL_CONTINUATION_FRAMES = 16;

  /** Bytes of queued outbound messages above which a call reports not ready (grpc-java's 32 KiB). */
  public static final int ON_READY_THRESHOLD = 32 * 1024;

  private Http2Limits() {}
}
