package dev.rill.client;

import dev.rill.Metadata;

/** A {@link ClientCall} that forwards everything to another; override what an interceptor changes. */
public class ForwardingClientCall<ReqT, RespT> extends ClientCall<ReqT, RespT> {
  private final ClientCall<ReqT, RespT> delegate;

  public ForwardingClientCall(ClientCall<ReqT, RespT> delegate) {
    this.delegate = delegate;
  }

  protected ClientCall<ReqT, RespT> delegate() {
    return delegate;
  }

  @Override
  public void start(Listener<RespT> listener, Metadata headers) {
    delegate.start(listener, headers);
  }

  @Override
  public void request(int count) {
    delegate.request(count);
  }

  @Override
  public void sendMessage(ReqT message) {
    delegate.sendMessage(message);
  }

  @Override
  public void halfClose() {
    delegate.halfClose();
  }

  @Override
  public void cancel(String message, Throwable cause) {
    delegate.cancel(message, cause);
  }

  @Override
  public boolean isReady() {
    return delegate.isReady();
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    delegate.setMessageCompression(enabled);
  }
}
