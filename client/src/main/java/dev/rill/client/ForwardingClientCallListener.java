package dev.rill.client;

import dev.rill.Metadata;
import dev.rill.Status;

/** A {@link ClientCall.Listener} that forwards every event to another. */
public class ForwardingClientCallListener<RespT> extends ClientCall.Listener<RespT> {
  private final ClientCall.Listener<RespT> delegate;

  public ForwardingClientCallListener(ClientCall.Listener<RespT> delegate) {
    this.delegate = delegate;
  }

  protected ClientCall.Listener<RespT> delegate() {
    return delegate;
  }

  @Override
  public void onHeaders(Metadata headers) {
    delegate.onHeaders(headers);
  }

  @Override
  public void onMessage(RespT message) {
    delegate.onMessage(message);
  }

  @Override
  public void onClose(Status status, Metadata trailers) {
    delegate.onClose(status, trailers);
  }

  @Override
  public void onReady() {
    delegate.onReady();
  }
}
