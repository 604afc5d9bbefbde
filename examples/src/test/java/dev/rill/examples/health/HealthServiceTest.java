package dev.rill.examples.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.client.ClientCallStreamObserver;
import dev.rill.client.ClientChannel;
import dev.rill.client.ClientResponseObserver;
import dev.rill.server.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthRill;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * grpc's health.proto, which this repository did not write, compiled at build time by protoc and the
 * Rill plugin: Check and Watch served by {@link HealthService} and called through the generated stubs.
 */
class HealthServiceTest {
  private final HealthService health = new HealthService();
  private Server server;
  private ClientChannel channel;

  @BeforeEach
  void start() throws Exception {
    server = Server.builder().address(new InetSocketAddress("127.0.0.1", 0)).addService(health).build().start();
    channel = ClientChannel.forAddress("127.0.0.1", server.port()).build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow();
    server.shutdownNow();
    assertTrue(channel.awaitTermination(10, TimeUnit.SECONDS));
    assertTrue(server.awaitTermination(10, TimeUnit.SECONDS));
  }

  private static HealthCheckRequest service(String name) {
    return HealthCheckRequest.newBuilder().setService(name).build();
  }

  private ServingStatus check(String service) {
    return HealthRill.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).check(service(service))
        .getStatus();
  }

  /** A Watch call: its statuses as they arrive, and a way to cancel it. */
  private static final class Watch implements ClientResponseObserver<HealthCheckRequest, HealthCheckResponse> {
    final BlockingQueue<ServingStatus> statuses = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> closed = new CompletableFuture<>();
    private ClientCallStreamObserver<HealthCheckRequest> call;

    @Override
    public void beforeStart(ClientCallStreamObserver<HealthCheckRequest> requestStream) {
      call = requestStream;
    }

    @Override
    public void onNext(HealthCheckResponse value) {
      statuses.add(value.getStatus());
    }

    @Override
    public void onError(Throwable t) {
      closed.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      closed.complete(Status.OK);
    }

    ServingStatus next() throws InterruptedException {
      ServingStatus next = statuses.poll(10, TimeUnit.SECONDS);
      assertNotNull(next, "no status within 10 s");
      return next;
    }

    Status cancel() throws Exception {
      call.cancel("done watching", null);
      return closed.get(10, TimeUnit.SECONDS);
    }
  }

  private Watch watch(String service) {
    Watch w = new Watch();
    HealthRill.newStub(channel).watch(service(service), w);
    return w;
  }

  @Test
  void checkAnswersTheStatusLastSetForTheService() {
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus("user.v1.UserService", ServingStatus.NOT_SERVING);

    assertEquals(ServingStatus.SERVING, check(""));
    assertEquals(ServingStatus.NOT_SERVING, check("user.v1.UserService"));
  }

  @Test
  void checkOfAServiceWithoutAStatusFailsNotFound() {
    StatusException e = assertThrows(StatusException.class, () -> check("no.such.Service"));
    assertEquals(Status.NOT_FOUND.withDescription("unknown service 'no.such.Service'"), e.status());
  }

  @Test
  void watchSendsTheStatusAtOnceAndThenEachChangeButNoRepeats() throws Exception {
    health.setStatus("svc", ServingStatus.SERVING);
    Watch watch = watch("svc");
    assertEquals(ServingStatus.SERVING, watch.next());

    health.setStatus("svc", ServingStatus.NOT_SERVING);
    health.setStatus("svc", ServingStatus.NOT_SERVING);
    health.setStatus("svc", ServingStatus.SERVING);

    assertEquals(ServingStatus.NOT_SERVING, watch.next());
    assertEquals(ServingStatus.SERVING, watch.next()); // the repeated NOT_SERVING was not sent
    assertEquals(Status.Code.CANCELLED, watch.cancel().code());
    assertTrue(watch.statuses.isEmpty());
  }

  @Test
  void watchOfAnUnknownServiceSaysSoAndKeepsWatchingUntilItIsKnown() throws Exception {
    Watch watch = watch("later");
    assertEquals(ServingStatus.SERVICE_UNKNOWN, watch.next());

    health.setStatus("later", ServingStatus.SERVING);
    assertEquals(ServingStatus.SERVING, watch.next());
    health.clearStatus("later");
    assertEquals(ServingStatus.SERVICE_UNKNOWN, watch.next());

    assertEquals(Status.Code.CANCELLED, watch.cancel().code());
  }

  @Test
  void aWatcherThatCancelsLeavesTheOthersWatching() throws Exception {
    health.setStatus("svc", ServingStatus.SERVING);
    Watch leaving = watch("svc");
    Watch staying = watch("svc");
    assertEquals(ServingStatus.SERVING, leaving.next());
    assertEquals(ServingStatus.SERVING, staying.next());

    assertEquals(Status.Code.CANCELLED, leaving.cancel().code());
    health.setStatus("svc", ServingStatus.NOT_SERVING);

    assertEquals(ServingStatus.NOT_SERVING, staying.next());
    assertEquals(Status.Code.CANCELLED, staying.cancel().code());
  }

  @Test
  void watchersOfOneServiceHearNothingAboutAnother() throws Exception {
    health.setStatus("a", ServingStatus.SERVING);
    Watch watch = watch("a");
    assertEquals(ServingStatus.SERVING, watch.next());

    health.setStatus("b", ServingStatus.NOT_SERVING);
    health.setStatus("a", ServingStatus.NOT_SERVING);

    assertEquals(ServingStatus.NOT_SERVING, watch.next());
    assertEquals(Status.Code.CANCELLED, watch.cancel().code());
  }

  @Test
  void aServiceCannotBeSetToAStatusOnlyWatchReports() {
    assertThrows(IllegalArgumentException.class, () -> health.setStatus("svc", ServingStatus.SERVICE_UNKNOWN));
  }
}
