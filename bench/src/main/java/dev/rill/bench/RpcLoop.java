package dev.rill.bench;

import java.util.concurrent.CompletableFuture;

/** One outstanding-RPC slot of the closed loop: keeps one RPC in flight until the phase ends. */
interface RpcLoop {
  /** Starts the first RPC. */
  void start();

  /** Ends the slot's RPC now; for loops that do not stop at the end time by themselves. */
  void stop();

  /** Completes when the slot has stopped (its recorder then holds its figures). */
  CompletableFuture<Recorder> done();
}
