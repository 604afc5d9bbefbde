package dev.rill.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.MethodDescriptor;
import dev.rill.MethodType;
import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.TlsProvider;
import dev.rill.internal.Tls;
import dev.rill.server.Server;
import dev.rill.server.ServerCall;
import dev.rill.server.ServerCalls;
import dev.rill.server.ServerInterceptor;
import dev.rill.server.ServerTls;
import dev.rill.server.ServiceDefinition;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContext;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TLS end to end over loopback, with certificates made at test time by {@link TestCertificates}: ALPN
 * h2 on BoringSSL and the JDK provider in every client/server pairing, the authority override, a wrong
 * trust root, mutual TLS, and plaintext meeting TLS. Failures must be UNAVAILABLE and prompt: every
 * call is awaited with a timeout, so a hang fails the test instead of stalling the build.
 */
class TlsTest {
  private static final String HOST = "foo.test.rill.dev";
  private static final long TIMEOUT_SECONDS = 20;

  static final MethodDescriptor<String, String> ECHO = MethodDescriptor.<String, String>builder()
      .fullMethodName("test.Tls/Echo").type(MethodType.UNARY)
      .requestMarshaller(StringMarshaller.INSTANCE).responseMarshaller(StringMarshaller.INSTANCE).build();

  private static TestCertificates.Issued ca;
  private static TestCertificates.Issued otherCa;
  private static TestCertificates.Issued serverCert;
  private static TestCertificates.Issued clientCert;
  private static TestCertificates.Issued strangerCert;

  private final AtomicInteger handlerCalls = new AtomicInteger();
  private volatile String authoritySeen;
  private Server server;
  private ClientChannel channel;

  @BeforeAll
  static void makeCertificates() {
    ca = TestCertificates.ca("Rill Test CA");
    otherCa = TestCertificates.ca("Some Other CA");
    serverCert = TestCertificates.server(ca, HOST, HOST, "localhost");
    clientCert = TestCertificates.client(ca, "rill-test-client");
    strangerCert = TestCertificates.client(otherCa, "stranger");
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow();
      assertTrue(channel.awaitTermination(10, TimeUnit.SECONDS), "channel did not terminate");
    }
    if (server != null) {
      server.shutdownNow();
      assertTrue(server.awaitTermination(10, TimeUnit.SECONDS), "server did not terminate");
    }
  }

  @Test
  void theOpenSslProviderIsBoringSslThroughNettyTcnative() {
    assertTrue(OpenSsl.isAvailable(), () -> "netty-tcnative did not load: " + OpenSsl.unavailabilityCause());
    assertTrue(OpenSsl.versionString().contains("BoringSSL"), OpenSsl.versionString());
    assertEquals(SslProvider.OPENSSL, Tls.provider(TlsProvider.OPENSSL));
    assertEquals(SslProvider.OPENSSL, Tls.provider(TlsProvider.AUTO));
    assertEquals(SslProvider.JDK, Tls.provider(TlsProvider.JDK));
    assertInstanceOf(OpenSslContext.class, clientTls(TlsProvider.OPENSSL, b -> b).newContext());
    assertInstanceOf(JdkSslContext.class, clientTls(TlsProvider.JDK, b -> b).newContext());
  }

  @ParameterizedTest(name = "server {0}, client {1}")
  @CsvSource({"OPENSSL, OPENSSL", "OPENSSL, JDK", "JDK, OPENSSL", "JDK, JDK"})
  void aCallSucceedsOverTlsWithAlpnH2ForEveryPairingOfProviders(TlsProvider serverProvider,
      TlsProvider clientProvider) throws Exception {
    startServer(serverTls(serverProvider, b -> b));
    channel = ClientChannel.forAddress("localhost", server.port()).tls(clientTls(clientProvider, b -> b)).build();

    assertEquals("echo:hello", call());
    assertEquals("localhost:" + server.port(), authoritySeen);
  }

  @Test
  void theAuthorityOverrideVerifiesTheServerUnderThatNameWhileConnectingToAnAddress() throws Exception {
    startServer(serverTls(TlsProvider.AUTO, b -> b));
    channel = ClientChannel.forAddress("127.0.0.1", server.port())
        .tls(clientTls(TlsProvider.AUTO, b -> b.authorityOverride(HOST))).build();

    assertEquals("echo:hello", call());
    assertEquals(HOST, authoritySeen);
    assertEquals(HOST, channel.authority());
  }

  @ParameterizedTest
  @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
  void anAddressTheCertificateDoesNotNameFailsVerificationUnavailable(TlsProvider provider) throws Exception {
    startServer(serverTls(TlsProvider.AUTO, b -> b));
    channel = ClientChannel.forAddress("127.0.0.1", server.port()).tls(clientTls(provider, b -> b)).build();

    assertHandshakeFailed(callFailure());
  }

  @ParameterizedTest
  @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
  void aServerCertificateFromAnUntrustedRootFailsUnavailableNamingTheHandshake(TlsProvider provider)
      throws Exception {
    startServer(serverTls(TlsProvider.AUTO, b -> b));
    channel = ClientChannel.forAddress("localhost", server.port())
        .tls(ClientTls.builder().trustRoots(otherCa.certificatePem()).provider(provider).build()).build();

    assertHandshakeFailed(callFailure());
  }

  @ParameterizedTest
  @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
  void mutualTlsAcceptsAClientCertificateFromTheTrustedRoot(TlsProvider provider) throws Exception {
    startServer(serverTls(provider, this::requireClientCertificates));
    channel = ClientChannel.forAddress("localhost", server.port())
        .tls(clientTls(provider, b -> b.keyCertChain(clientCert.certificatePem(), clientCert.keyPem()))).build();

    assertEquals("echo:hello", call());
  }

  @ParameterizedTest
  @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
  void mutualTlsRejectsAClientWithoutACertificate(TlsProvider provider) throws Exception {
    startServer(serverTls(provider, this::requireClientCertificates));
    channel = ClientChannel.forAddress("localhost", server.port()).tls(clientTls(provider, b -> b)).build();

    StatusException e = callFailure();

    assertEquals(Status.Code.UNAVAILABLE, e.status().code(), e.toString());
    assertEquals(0, handlerCalls.get(), "the handler ran for an unauthenticated client");
  }

  @ParameterizedTest
  @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
  void mutualTlsRejectsAClientCertificateFromAnotherRoot(TlsProvider provider) throws Exception {
    startServer(serverTls(provider, this::requireClientCertificates));
    channel = ClientChannel.forAddress("localhost", server.port())
        .tls(clientTls(provider, b -> b.keyCertChain(strangerCert.certificatePem(), strangerCert.keyPem())))
        .build();

    StatusException e = callFailure();

    assertEquals(Status.Code.UNAVAILABLE, e.status().code(), e.toString());
    assertEquals(0, handlerCalls.get(), "the handler ran for an unauthenticated client");
  }

  @Test
  void aPlaintextClientAgainstATlsServerFailsUnavailableWithoutHanging() throws Exception {
    startServer(serverTls(TlsProvider.AUTO, b -> b));
    channel = ClientChannel.forAddress("localhost", server.port()).usePlaintext().build();

    StatusException e = callFailure();

    assertEquals(Status.Code.UNAVAILABLE, e.status().code(), e.toString());
    assertEquals(0, handlerCalls.get());
  }

  @Test
  void aTlsClientAgainstAPlaintextServerFailsUnavailableWithoutHanging() throws Exception {
    startServer(null);
    channel = ClientChannel.forAddress("localhost", server.port()).tls(clientTls(TlsProvider.AUTO, b -> b)).build();

    StatusException e = callFailure();

    assertEquals(Status.Code.UNAVAILABLE, e.status().code(), e.toString());
    assertEquals(0, handlerCalls.get());
  }

  private ServerTls.Builder requireClientCertificates(ServerTls.Builder b) {
    return b.trustRoots(ca.certificatePem()).clientAuth(ServerTls.ClientAuthMode.REQUIRE);
  }

  private static ServerTls serverTls(TlsProvider provider, UnaryOperator<ServerTls.Builder> config) {
    return config.apply(ServerTls.builder()
        .keyCertChain(serverCert.certificatePem(), serverCert.keyPem()).provider(provider)).build();
  }

  private static ClientTls clientTls(TlsProvider provider, UnaryOperator<ClientTls.Builder> config) {
    return config.apply(ClientTls.builder().trustRoots(ca.certificatePem()).provider(provider)).build();
  }

  private void startServer(ServerTls tls) throws IOException {
    ServerInterceptor authority = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
          dev.rill.Metadata headers, dev.rill.server.ServerCallHandler<ReqT, RespT> next) {
        authoritySeen = call.authority();
        return next.startCall(call, headers);
      }
    };
    server = Server.builder().port(0).tls(tls).intercept(authority)
        .addService(ServiceDefinition.builder("test.Tls").addMethod(ECHO, ServerCalls.unaryCall((req, obs) -> {
          handlerCalls.incrementAndGet();
          obs.onNext("echo:" + req);
          obs.onCompleted();
        })).build())
        .build().start();
  }

  private String call() throws InterruptedException, ExecutionException, TimeoutException {
    return ClientCalls.futureUnaryCall(channel, ECHO, CallOptions.DEFAULT, "hello")
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** The call's failure; a call that neither fails nor succeeds within the timeout fails the test. */
  private StatusException callFailure() throws InterruptedException, TimeoutException {
    try {
      String response = call();
      throw new AssertionError("the call succeeded: " + response);
    } catch (ExecutionException e) {
      assertInstanceOf(StatusException.class, e.getCause());
      return (StatusException) e.getCause();
    }
  }

  private void assertHandshakeFailed(StatusException e) {
    assertEquals(Status.Code.UNAVAILABLE, e.status().code(), e.toString());
    assertTrue(e.status().description().contains("handshake"), e.status().description());
    assertEquals(0, handlerCalls.get());
  }
}
