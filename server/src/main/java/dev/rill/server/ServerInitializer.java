package dev.rill.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sets up an accepted connection: HTTP/2 with prior knowledge (h2c), or TLS whose ALPN must pick
 * {@code h2} before the HTTP/2 handler is added. Runs on the new connection's event loop.
 */
final class ServerInitializer extends ChannelInitializer<Channel> {
  private static final Logger log = Logger.getLogger(ServerInitializer.class.getName());

  private final ServerConfig config;
  private final SslContext sslContext;
  private final Consumer<Channel> onAccepted;

  ServerInitializer(ServerConfig config, SslContext sslContext, Consumer<Channel> onAccepted) {
    this.config = config;
    this.sslContext = sslContext;
    this.onAccepted = onAccepted;
  }

  @Override
  protected void initChannel(Channel ch) {
    onAccepted.accept(ch);
    if (sslContext == null) {
      ch.pipeline().addLast(ServerHandler.create(config));
      return;
    }
    ch.pipeline().addLast(sslContext.newHandler(ch.alloc()));
    ch.pipeline().addLast(new ApplicationProtocolNegotiationHandler("none") {
      @Override
      protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
          ctx.pipeline().addLast(ServerHandler.create(config));
        } else {
          log.log(Level.FINE, "closing {0}: ALPN negotiated ''{1}'', gRPC needs h2", new Object[] {ctx.channel(), protocol});
          ctx.close();
        }
      }

      @Override
      protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        log.log(Level.FINE, "TLS handshake with " + ctx.channel().remoteAddress() + " failed", cause);
        ctx.close();
      }
    });
  }
}
