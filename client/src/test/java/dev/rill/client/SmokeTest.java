package dev.rill.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rill.MethodDescriptor;
import dev.rill.MethodType;
import dev.rill.server.Server;
import dev.rill.server.ServerCalls;
import dev.rill.server.ServiceDefinition;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SmokeTest {
  static final MethodDescriptor<String, String> ECHO = MethodDescriptor.<String, String>builder()
      .fullMethodName("test.Echo/Echo").type(MethodType.UNARY)
      .requestMarshaller(StringMarshaller.INSTANCE).responseMarshaller(StringMarshaller.INSTANCE).build();
  static final MethodDescriptor<String, String> SPLIT = MethodDescriptor.<String, String>builder()
      .fullMethodName("test.Echo/Split").type(MethodType.SERVER_STREAMING)
      .requestMarshaller(StringMarshaller.INSTANCE).responseMarshaller(StringMarshaller.INSTANCE).build();

  @Test
  void aUnaryCallAndAServerStreamRoundTrip() throws Exception {
    Server server = Server.builder().port(0).addService(ServiceDefinition.builder("test.Echo")
        .addMethod(ECHO, ServerCalls.unaryCall((req, obs) -> {
          obs.onNext("echo:" + req);
          obs.onCompleted();
        }))
        .addMethod(SPLIT, ServerCalls.serverStreamingCall((req, obs) -> {
          for (String s : req.split(",")) {
            obs.onNext(s);
          }
          obs.onCompleted();
        }))
        .build()).build().start();
    ClientChannel channel = ClientChannel.forAddress("127.0.0.1", server.port()).build();
    try {
      assertEquals("echo:hi", ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, "hi"));
      Iterator<String> it = ClientCalls.blockingServerStreamingCall(channel, SPLIT, CallOptions.DEFAULT, "a,b,c");
      StringBuilder sb = new StringBuilder();
      it.forEachRemaining(sb::append);
      assertEquals("abc", sb.toString());
    } finally {
      channel.shutdownNow();
      server.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
