package dev.rill.examples.greeter;

import dev.rill.client.ClientChannel;
import dev.rill.server.Server;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** Serves {@link GreeterService} on a loopback port and calls it through the generated stubs. */
public final class GreeterMain {
  private GreeterMain() {}

  public static void main(String[] args) throws Exception {
    Server server = Server.builder()
        .address(new InetSocketAddress("127.0.0.1", 0))
        .addService(new GreeterService())
        .build()
        .start();
    ClientChannel channel = ClientChannel.forAddress("127.0.0.1", server.port()).build();
    try {
      GreeterRill.GreeterBlockingStub greeter = GreeterRill.newBlockingStub(channel)
          .withDeadlineAfter(5, TimeUnit.SECONDS);
      HelloRequest request = HelloRequest.newBuilder().addNames("Ada").addNames("Grace").build();
      System.out.println(greeter.sayHello(request).getMessage());
      greeter.sayHelloToEach(request).forEachRemaining(reply -> System.out.println(reply.getMessage()));
    } finally {
      channel.shutdown();
      server.shutdown();
      channel.awaitTermination(10, TimeUnit.SECONDS);
      server.awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
