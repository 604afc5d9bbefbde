package dev.rill.client;

import dev.rill.StreamObserver;

/**
 * A response observer that also gets the request side before the call starts, to set an on-ready
 * handler or turn off automatic inbound flow control.
 */
public interface ClientResponseObserver<ReqT, RespT> extends StreamObserver<RespT> {
  void beforeStart(ClientCallStreamObserver<ReqT> requestStream);
}
