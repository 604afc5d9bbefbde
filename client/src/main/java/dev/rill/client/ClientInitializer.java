package dev.rill.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;

/**
 * Sets up a new connection: HTTP/2 with prior knowledge, or TLS (SNI and hostname verification on
 * the configured host) whose ALPN must select {@code h2}. Runs on the connection's event loop.
 */
final class ClientInitializer extends ChannelInitializer<Channel> {
  private final ClientConfig config;
  private final ClientHandler handler;

  ClientInitializer(ClientConfig config, ClientHandler handler) {
    this.config = config;
    this.handler = handler;
  }

  @Override
  protected void initChannel(Channel ch) {
    if (config.sslContext == null) {
      ch.pipeline().addLast(handler);
      return;
    }
    ch.pipeline().addLast(config.sslContext.newHandler(ch.alloc(), config.tlsHost, config.port));
    ch.pipeline().addLast(new ApplicationProtocolNegotiationHandler("none") {
      @Override
      protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
          ctx.pipeline().addLast(handler);
        } else {
          handler.ready.completeExceptionally(new IllegalStateException(
              "TLS: server negotiated ALPN '" + protocol + "', gRPC needs h2"));
          ctx.close();
        }
      }

      @Override
      protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        handler.ready.completeExceptionally(new IllegalStateException(
            "TLS handshake with " + config.tlsHost + " failed: " + describe(cause), cause));
        ctx.close();
      }
    });
  }

  /**
   * The messages along {@code t}'s cause chain: BoringSSL's own is only "General OpenSslEngine problem",
   * the reason (untrusted root, name mismatch) is in its cause.
   */
  private static String describe(Throwable t) {
    StringBuilder sb = new StringBuilder(String.valueOf(t.getMessage()));
    for (Throwable c = t.getCause(); c != null && c != t; c = c.getCause()) {
      if (c.getMessage() != null && sb.indexOf(c.getMessage()) < 0) {
        sb.append(": ").append(c.getMessage());
      }
    }
    return sb.toString();
  }
}
