package dev.rill.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import dev.rill.Deadline;
import dev.rill.Metadata;
import dev.rill.MethodDescriptor;
import dev.rill.MethodType;
import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.StreamObserver;
import dev.rill.client.CallOptions;
import dev.rill.client.Channel;
import dev.rill.client.ClientCall;
import dev.rill.client.ClientChannel;
import dev.rill.client.ClientInterceptor;
import dev.rill.codegen.test.collisions.CollisionsRill;
import dev.rill.codegen.test.common.Shared;
import dev.rill.codegen.test.everything.EverythingOuterClass.Color;
import dev.rill.codegen.test.everything.EverythingOuterClass.EchoRequest;
import dev.rill.codegen.test.everything.EverythingOuterClass.EchoResponse;
import dev.rill.codegen.test.everything.EverythingRill;
import dev.rill.codegen.test.everything.OtherRill;
import dev.rill.codegen.test.naming.e2024.EditionsRill;
import dev.rill.codegen.test.naming.e2024.Edition2024Proto;
import dev.rill.codegen.test.naming.e2024.OwnFile;
import dev.rill.codegen.test.naming.lite.LightRill;
import dev.rill.codegen.test.naming.lite.Lite.Small;
import dev.rill.server.Server;
import dev.rill.server.ServerCall;
import dev.rill.server.ServerCallHandler;
import dev.rill.server.ServerInterceptor;
import dev.rill.server.ServiceDefinition;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stubs and service bases that the build generated from src/test/proto (through protoc and this
 * plugin), compiled with the tests and run against a Rill server on loopback.
 */
class GeneratedStubsTest {
  private static Server server;
  private static ClientChannel channel;
  /** Request headers and deadline of the last call of each method, as the server saw them. */
  private static final Map<String, Metadata> serverHeaders = new ConcurrentHashMap<>();
  private static final Map<String, Deadline> serverDeadlines = new ConcurrentHashMap<>();
  /** The Java methods of {@code Collisions} that ran, in order. */
  private static final List<String> collisionCalls = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    ServerInterceptor recordHeaders = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
          ServerCallHandler<ReqT, RespT> next) {
        serverHeaders.put(call.method().fullMethodName(), headers);
        if (call.deadline() != null) {
          serverDeadlines.put(call.method().fullMethodName(), call.deadline());
        }
        return next.startCall(call, headers);
      }
    };
    server = Server.builder()
        .address(new InetSocketAddress("127.0.0.1", 0))
        .addService(new EverythingService())
        .addService(new OtherRill.OtherImplBase() {})
        .addService(new CollisionsService())
        .addService(new EditionsService())
        .addService(new LightService())
        .intercept(recordHeaders)
        .build()
        .start();
    channel = ClientChannel.forAddress("127.0.0.1", server.port()).build();
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    channel.shutdownNow();
    server.shutdownNow();
    assertTrue(channel.awaitTermination(10, TimeUnit.SECONDS));
    assertTrue(server.awaitTermination(10, TimeUnit.SECONDS));
  }

  private static EchoRequest everyKindOfField() {
    return EchoRequest.newBuilder()
        .setText("hello")
        .addNumbers(1).addNumbers(2).addNumbers(3)
        .putByName("a", EchoRequest.Nested.newBuilder().setValue("x").setMood(EchoRequest.Nested.Mood.CALM).build())
        .setNested(EchoRequest.Nested.newBuilder().setValue("in the oneof"))
        .setColor(Color.GREEN)
        .setShared(Shared.newBuilder().setKey(Shared.Key.newBuilder().setId("k")).setValue("v"))
        .setAt(Timestamp.newBuilder().setSeconds(1_700_000_000).setNanos(5))
        .setMaybe("")
        .build();
  }

  @Test
  void aUnaryCallCarriesEveryKindOfFieldThroughTheBlockingFutureAndObserverStubs() throws Exception {
    EchoRequest request = everyKindOfField();

    EchoResponse blocking = EverythingRill.newBlockingStub(channel).echo(request);
    EchoResponse future = EverythingRill.newStub(channel).echo(request).get(10, TimeUnit.SECONDS);
    Recorder<EchoResponse> observer = new Recorder<>();
    EverythingRill.newStub(channel).echo(request, observer);

    for (EchoResponse response : List.of(blocking, future, observer.await().get(0))) {
      assertEquals(request, response.getEchoed());
      assertTrue(response.getEchoed().hasMaybe(), "proto3 optional presence survives");
      assertEquals(EchoRequest.ChoiceCase.NESTED, response.getEchoed().getChoiceCase());
    }
  }

  @Test
  void aServerStreamingCallYieldsEachResponseToTheIteratorAndToTheObserver() throws Exception {
    EchoRequest request = EchoRequest.newBuilder().setText("n").addNumbers(7).addNumbers(8).addNumbers(9).build();

    List<Integer> fromIterator = new ArrayList<>();
    Iterator<EchoResponse> it = EverythingRill.newBlockingStub(channel).expand(request);
    it.forEachRemaining(r -> fromIterator.add(r.getNumbers(0)));
    Recorder<EchoResponse> observer = new Recorder<>();
    EverythingRill.newStub(channel).expand(request, observer);

    assertEquals(List.of(7, 8, 9), fromIterator);
    assertEquals(List.of(7, 8, 9), observer.await().stream().map(r -> r.getNumbers(0)).toList());
  }

  @Test
  void aClientStreamingCallSendsEveryRequestAndGetsOneResponse() throws Exception {
    Recorder<EchoResponse> responses = new Recorder<>();
    StreamObserver<EchoRequest> requests = EverythingRill.newStub(channel).collect(responses);
    requests.onNext(EchoRequest.newBuilder().setText("a").addNumbers(1).build());
    requests.onNext(EchoRequest.newBuilder().setText("b").addNumbers(2).addNumbers(3).build());
    requests.onCompleted();

    EchoResponse sum = responses.await().get(0);
    assertEquals("ab", sum.getText());
    assertEquals(List.of(1, 2, 3), sum.getNumbersList());
    assertEquals(Map.of("a", 1L, "b", 2L), sum.getCountsMap());
  }

  @Test
  void aBidiStreamingCallAnswersEachRequest() throws Exception {
    Recorder<EchoResponse> responses = new Recorder<>();
    StreamObserver<EchoRequest> requests = EverythingRill.newStub(channel).chat(responses);
    for (String word : List.of("one", "two", "three")) {
      requests.onNext(EchoRequest.newBuilder().setText(word).build());
    }
    requests.onCompleted();

    assertEquals(List.of("ONE", "TWO", "THREE"), responses.await().stream().map(EchoResponse::getText).toList());
  }

  @Test
  void wellKnownImportedAndNestedTypesServeAsRequestsAndResponses() throws Exception {
    EverythingRill.EverythingBlockingStub stub = EverythingRill.newBlockingStub(channel);

    assertEquals(42, stub.ping(Empty.getDefaultInstance()).getSeconds());
    assertEquals("found k7", stub.lookup(Shared.Key.newBuilder().setId("k7").build()).getValue());
    assertEquals("v/CALM", stub.nest(EchoRequest.Nested.newBuilder().setValue("v")
        .setMood(EchoRequest.Nested.Mood.CALM).build()).getPath());
  }

  @Test
  void aMethodTheServiceDoesNotOverrideAnswersUnimplemented() throws Exception {
    StatusException blocking = assertThrows(StatusException.class,
        () -> EverythingRill.newBlockingStub(channel).unimplemented(EchoRequest.getDefaultInstance()));
    ExecutionException future = assertThrows(ExecutionException.class,
        () -> OtherRill.newStub(channel).reverse(EchoRequest.getDefaultInstance()).get(10, TimeUnit.SECONDS));
    Recorder<Empty> clientStreaming = new Recorder<>();
    StreamObserver<Empty> requests = CollisionsRill.newStub(channel).wait_(clientStreaming);
    requests.onNext(Empty.getDefaultInstance());
    requests.onCompleted();
    Recorder<Empty> serverStreaming = new Recorder<>();
    CollisionsRill.newStub(channel).toString_(Empty.getDefaultInstance(), serverStreaming);

    assertEquals(Status.Code.UNIMPLEMENTED, blocking.status().code());
    assertEquals("method rill.test.everything.Everything/Unimplemented is not implemented",
        blocking.status().description());
    assertEquals(Status.Code.UNIMPLEMENTED, Status.fromThrowable(future.getCause()).code());
    assertEquals(Status.Code.UNIMPLEMENTED, Status.fromThrowable(clientStreaming.awaitError()).code());
    assertEquals(Status.Code.UNIMPLEMENTED, Status.fromThrowable(serverStreaming.awaitError()).code());
  }

  @Test
  void aStubsDeadlineMetadataAndCompressionReachTheCall() throws Exception {
    List<CallOptions> sent = new CopyOnWriteArrayList<>();
    ClientInterceptor recordOptions = new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
          CallOptions options, Channel next) {
        sent.add(options);
        return next.newCall(method, options);
      }
    };
    EverythingRill.EverythingBlockingStub stub = EverythingRill.newBlockingStub(channel)
        .withInterceptors(recordOptions)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .withMetadata(new Metadata().put("x-rill-test", "per-call"))
        .withCompression("gzip");

    EchoResponse response = stub.echo(EchoRequest.newBuilder().setText("compressed ".repeat(100)).build());

    assertEquals("compressed ".repeat(100), response.getText());
    assertEquals(1, sent.size());
    assertEquals("gzip", sent.get(0).compression());
    assertNotNull(sent.get(0).deadline());
    String method = EverythingRill.getEchoMethod().fullMethodName();
    assertEquals("per-call", serverHeaders.get(method).get("x-rill-test"));
    long remaining = serverDeadlines.get(method).timeRemaining(TimeUnit.SECONDS);
    assertTrue(remaining > 20 && remaining <= 30, "deadline seen by the server: " + remaining + " s");
  }

  @Test
  @SuppressWarnings("deprecation")
  void aDeprecatedMethodStillWorks() throws Exception {
    assertEquals("old x", EverythingRill.newBlockingStub(channel).oldEcho(
        EchoRequest.newBuilder().setText("x").build()).getText());
    assertEquals("old y", EverythingRill.newStub(channel).oldEcho(
        EchoRequest.newBuilder().setText("y").build()).get(10, TimeUnit.SECONDS).getText());
  }

  @Test
  void theDescriptorsNameEveryMethodWithItsKindInDeclarationOrder() {
    ServiceDefinition definition = new EverythingService().bindService();

    assertEquals("rill.test.everything.Everything", EverythingRill.SERVICE_NAME);
    assertEquals(EverythingRill.SERVICE_NAME, definition.name());
    assertEquals(List.of("Echo", "Expand", "Collect", "Chat", "Ping", "Lookup", "Nest", "Unimplemented", "OldEcho"),
        definition.methods().stream().map(m -> m.descriptor().methodName()).toList());
    assertEquals(MethodType.UNARY, EverythingRill.getEchoMethod().type());
    assertEquals(MethodType.SERVER_STREAMING, EverythingRill.getExpandMethod().type());
    assertEquals(MethodType.CLIENT_STREAMING, EverythingRill.getCollectMethod().type());
    assertEquals(MethodType.BIDI_STREAMING, EverythingRill.getChatMethod().type());
    assertEquals("/rill.test.everything.Everything/Chat", EverythingRill.getChatMethod().path());
    assertEquals(EverythingRill.getEchoMethod(), definition.method("Echo").descriptor());
  }

  @Test
  void methodsNamedLikeKeywordsOrGeneratedMembersReachTheirOwnRpc() {
    CollisionsRill.CollisionsBlockingStub stub = CollisionsRill.newBlockingStub(channel);
    Empty empty = Empty.getDefaultInstance();
    collisionCalls.clear();

    stub.new_(empty);
    stub.class_(empty);
    stub.default_(empty);
    stub.yield_(empty);
    stub.bindService_(empty);
    stub.build_(empty);
    stub.channel_(empty);
    stub.doIt(empty);
    stub.doIt_(empty);
    stub.doIt__(empty);
    stub.__(empty);
    stub.newStub(empty);

    assertEquals(List.of("New", "Class", "default", "Yield", "BindService", "Build", "Channel", "do_it", "DoIt",
        "doIt_", "_", "NewStub"), collisionCalls);
    assertEquals("rill.test.collisions.Collisions/do_it", CollisionsRill.getDoItMethod().fullMethodName());
    assertEquals("rill.test.collisions.Collisions/DoIt", CollisionsRill.getDoIt_Method().fullMethodName());
    assertEquals("rill.test.collisions.Collisions/New", CollisionsRill.getNewMethod().fullMethodName());
    assertInstanceOf(CollisionsRill.CollisionsStub.class,
        CollisionsRill.newStub(channel).withDeadlineAfter(1, TimeUnit.SECONDS));
  }

  @Test
  void servicesOverEdition2024AndLiteMessagesWork() {
    assertEquals("go!", EditionsRill.newBlockingStub(channel)
        .go(OwnFile.newBuilder().setA("go").build()).getB());
    assertEquals(6, LightRill.newBlockingStub(channel).inc(Small.newBuilder().setN(5).build()).getN());
    assertFalse(Edition2024Proto.Nested.getDefaultInstance().hasB());
  }

  /** Records which Java method of the base ran, by RPC name, and answers with an empty message. */
  private static final class CollisionsService extends CollisionsRill.CollisionsImplBase {
    private static void ran(String rpc, StreamObserver<Empty> responses) {
      collisionCalls.add(rpc);
      responses.onNext(Empty.getDefaultInstance());
      responses.onCompleted();
    }

    @Override
    public void new_(Empty request, StreamObserver<Empty> responses) {
      ran("New", responses);
    }

    @Override
    public void class_(Empty request, StreamObserver<Empty> responses) {
      ran("Class", responses);
    }

    @Override
    public void default_(Empty request, StreamObserver<Empty> responses) {
      ran("default", responses);
    }

    @Override
    public void yield_(Empty request, StreamObserver<Empty> responses) {
      ran("Yield", responses);
    }

    @Override
    public void bindService_(Empty request, StreamObserver<Empty> responses) {
      ran("BindService", responses);
    }

    @Override
    public void build_(Empty request, StreamObserver<Empty> responses) {
      ran("Build", responses);
    }

    @Override
    public void channel_(Empty request, StreamObserver<Empty> responses) {
      ran("Channel", responses);
    }

    @Override
    public void doIt(Empty request, StreamObserver<Empty> responses) {
      ran("do_it", responses);
    }

    @Override
    public void doIt_(Empty request, StreamObserver<Empty> responses) {
      ran("DoIt", responses);
    }

    @Override
    public void doIt__(Empty request, StreamObserver<Empty> responses) {
      ran("doIt_", responses);
    }

    @Override
    public void __(Empty request, StreamObserver<Empty> responses) {
      ran("_", responses);
    }

    @Override
    public void newStub(Empty request, StreamObserver<Empty> responses) {
      ran("NewStub", responses);
    }
  }

  private static final class EditionsService extends EditionsRill.EditionsImplBase {
    @Override
    public void go(OwnFile request, StreamObserver<Edition2024Proto.Nested> responses) {
      responses.onNext(Edition2024Proto.Nested.newBuilder().setB(request.getA() + "!").build());
      responses.onCompleted();
    }
  }

  private static final class LightService extends LightRill.LightImplBase {
    @Override
    public void inc(Small request, StreamObserver<Small> responses) {
      responses.onNext(Small.newBuilder().setN(request.getN() + 1).build());
      responses.onCompleted();
    }
  }
}
