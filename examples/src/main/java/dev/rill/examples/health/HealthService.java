package dev.rill.examples.health;

import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.StreamObserver;
import dev.rill.server.ServerCallStreamObserver;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthRill;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * gRPC's standard health service, {@code grpc.health.v1.Health}, on stubs generated from grpc's own
 * {@code health.proto} (taken from the grpc-services jar at build time; see examples/pom.xml).
 *
 * <p>Holds a serving status per service name, the empty name standing for the whole server, as
 * {@link #setStatus} sets them. Check answers a name's status, or NOT_FOUND for a name that has none.
 * Watch answers at once, SERVICE_UNKNOWN for such a name without ending the call, then once per change,
 * until the client cancels: the behaviour health.proto specifies.
 *
 * <p>Thread-safe. One lock orders status changes, the registration of watchers and the sends to
 * them, so a watcher neither misses a change nor sees two out of order; sends queue and never block.
 */
public final class HealthService extends HealthRill.HealthImplBase {
  /** Guarded by {@code this}. */
  private final Map<String, ServingStatus> statuses = new HashMap<>();
  /** Guarded by {@code this}. */
  private final Map<String, List<Watcher>> watchers = new HashMap<>();

  /** Sets the status of {@code service} ("" for the server) and tells its watchers if it changed. */
  public synchronized void setStatus(String service, ServingStatus status) {
    if (status == ServingStatus.UNRECOGNIZED || status == ServingStatus.SERVICE_UNKNOWN) {
      throw new IllegalArgumentException("setStatus " + status + ": not a status a service can be in");
    }
    statuses.put(service, status);
    notifyWatchers(service, status);
  }

  /** Forgets {@code service}: Check answers NOT_FOUND again, and its watchers get SERVICE_UNKNOWN. */
  public synchronized void clearStatus(String service) {
    statuses.remove(service);
    notifyWatchers(service, ServingStatus.SERVICE_UNKNOWN);
  }

  @Override
  public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> responses) {
    ServingStatus status;
    synchronized (this) {
      status = statuses.get(request.getService());
    }
    if (status == null) {
      responses.onError(Status.NOT_FOUND.withDescription("unknown service '" + request.getService() + "'")
          .asException());
      return;
    }
    responses.onNext(response(status));
    responses.onCompleted();
  }

  @Override
  public void watch(HealthCheckRequest request, StreamObserver<HealthCheckResponse> responses) {
    String service = request.getService();
    Watcher watcher = new Watcher(responses);
    if (responses instanceof ServerCallStreamObserver) {
      // Runs on the call's callback thread once the client cancels (or the connection drops).
      ((ServerCallStreamObserver<HealthCheckResponse>) responses).setOnCancelHandler(() -> unwatch(service, watcher));
    }
    synchronized (this) {
      watchers.computeIfAbsent(service, s -> new ArrayList<>()).add(watcher);
      watcher.send(statuses.getOrDefault(service, ServingStatus.SERVICE_UNKNOWN));
    }
  }

  private synchronized void unwatch(String service, Watcher watcher) {
    List<Watcher> list = watchers.get(service);
    if (list != null && list.remove(watcher) && list.isEmpty()) {
      watchers.remove(service);
    }
  }

  /** Must hold the lock. */
  private void notifyWatchers(String service, ServingStatus status) {
    for (Watcher w : watchers.getOrDefault(service, List.of())) {
      w.send(status);
    }
  }

  private static HealthCheckResponse response(ServingStatus status) {
    return HealthCheckResponse.newBuilder().setStatus(status).build();
  }

  /** One Watch call. Used under the service's lock only. */
  private static final class Watcher {
    private final StreamObserver<HealthCheckResponse> responses;
    private ServingStatus last;

    Watcher(StreamObserver<HealthCheckResponse> responses) {
      this.responses = responses;
    }

    /** Sends {@code status} unless it is the one this watcher saw last. */
    void send(ServingStatus status) {
      if (status == last) {
        return;
      }
      last = status;
      try {
        responses.onNext(response(status));
      } catch (StatusException cancelledMeanwhile) {
        // The call was cancelled an instant ago; its cancel handler removes this watcher.
      }
    }
  }
}
