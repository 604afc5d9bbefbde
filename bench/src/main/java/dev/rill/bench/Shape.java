package dev.rill.bench;

/** Channels (connections) times outstanding RPCs per channel. */
enum Shape {
  /** One RPC at a time: latency. */
  LATENCY(1, 1),
  /** 4 connections with 32 RPCs each: throughput. */
  THROUGHPUT(4, 32);

  final int channels;
  final int outstanding;

  Shape(int channels, int outstanding) {
    this.channels = channels;
    this.outstanding = outstanding;
  }

  String label() {
    return channels + "x" + outstanding;
  }
}
