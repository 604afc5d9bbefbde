package dev.rill.server;

import dev.rill.CallContext;
import dev.rill.Deadline;
import dev.rill.Metadata;
import dev.rill.MethodDescriptor;
import dev.rill.Status;
import java.net.SocketAddress;

/** A {@link ServerCall} that forwards everything to another; override what an interceptor changes. */
public class ForwardingServerCall<ReqT, RespT> extends ServerCall<ReqT, RespT> {
  private final ServerCall<ReqT, RespT> delegate;

  public ForwardingServerCall(ServerCall<ReqT, RespT> delegate) {
    this.delegate = delegate;
  }

  protected ServerCall<ReqT, RespT> delegate() {
    return delegate;
  }

  @Override
  public void request(int count) {
    delegate.request(count);
  }

  @Override
  public void sendHeaders(Metadata headers) {
    delegate.sendHeaders(headers);
  }

  @Override
  public void sendMessage(RespT message) {
    delegate.sendMessage(message);
  }

  @Override
  public void close(Status status, Metadata trailers) {
    delegate.close(status, trailers);
  }

  @Override
  public boolean isReady() {
    return delegate.isReady();
  }

  @Override
  public boolean isCancelled() {
    return delegate.isCancelled();
  }

  @Override
  public boolean isMessageCompressed() {
    return delegate.isMessageCompressed();
  }

  @Override
  public void setCompression(String encoding) {
    delegate.setCompression(encoding);
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    delegate.setMessageCompression(enabled);
  }

  @Override
  public MethodDescriptor<ReqT, RespT> method() {
    return delegate.method();
  }

  @Override
  public Deadline deadline() {
    return delegate.deadline();
  }

  @Override
  public CallContext context() {
    return delegate.context();
  }

  @Override
  public String authority() {
    return delegate.authority();
  }

  @Override
  public SocketAddress remoteAddress() {
    return delegate.remoteAddress();
  }
}
