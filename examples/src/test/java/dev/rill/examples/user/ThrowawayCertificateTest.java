package dev.rill.examples.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.TlsProvider;
import dev.rill.client.ClientTls;
import dev.rill.examples.user.v1.GetUserRequest;
import dev.rill.server.ServerTls;
import io.netty.handler.ssl.OpenSsl;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The demo's self-signed certificate, with both TLS providers on either side. */
class ThrowawayCertificateTest {

  static List<TlsProvider> providers() {
    List<TlsProvider> providers = new ArrayList<>(List.of(TlsProvider.JDK));
    if (OpenSsl.isAvailable()) {
      providers.add(TlsProvider.OPENSSL);
    }
    return providers;
  }

  @ParameterizedTest
  @MethodSource("providers")
  void aClientTrustingOnlyTheCertificateReachesTheServerAtItsIpAddress(TlsProvider provider) throws Exception {
    ThrowawayCertificate certificate = ThrowawayCertificate.create();
    UserLoopback loopback = UserLoopback.tls(
        ServerTls.builder().keyCertChain(certificate.certificatePem(), certificate.privateKeyPem())
            .provider(provider).build(),
        ClientTls.builder().trustRoots(certificate.certificatePem()).provider(provider).build());
    try {
      StatusException e = assertThrows(StatusException.class, () -> loopback.blocking(UserLoopback.ALICE)
          .getUser(GetUserRequest.newBuilder().setUserId(5).build()));
      assertEquals(Status.NOT_FOUND.withDescription("user 5 not found"), e.status());
    } finally {
      loopback.stop();
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void aClientTrustingAnotherCertificateIsRefused(TlsProvider provider) throws Exception {
    ThrowawayCertificate served = ThrowawayCertificate.create();
    ThrowawayCertificate other = ThrowawayCertificate.create();
    UserLoopback loopback = UserLoopback.tls(
        ServerTls.builder().keyCertChain(served.certificatePem(), served.privateKeyPem()).provider(provider).build(),
        ClientTls.builder().trustRoots(other.certificatePem()).provider(provider).build());
    try {
      StatusException e = assertThrows(StatusException.class, () -> loopback.blocking(UserLoopback.ALICE)
          .getUser(GetUserRequest.newBuilder().setUserId(5).build()));
      assertEquals(Status.Code.UNAVAILABLE, e.status().code());
    } finally {
      loopback.stop();
    }
  }
}
