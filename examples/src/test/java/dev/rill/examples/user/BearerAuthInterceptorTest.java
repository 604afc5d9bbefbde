package dev.rill.examples.user;

import static dev.rill.examples.user.UserLoopback.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rill.Metadata;
import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.StreamObserver;
import dev.rill.examples.user.v1.BatchCreateResponse;
import dev.rill.examples.user.v1.ChatMessage;
import dev.rill.examples.user.v1.GetUserRequest;
import dev.rill.examples.user.v1.ListUsersRequest;
import dev.rill.examples.user.v1.UserCreate;
import dev.rill.examples.user.v1.UserServiceRill;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthRill;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bearer-token interceptor in front of UserService, over a loopback socket. */
class BearerAuthInterceptorTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final GetUserRequest USER_1 = GetUserRequest.newBuilder().setUserId(1).build();

  private UserLoopback loopback;

  @BeforeEach
  void start() throws Exception {
    loopback = UserLoopback.plaintext();
  }

  @AfterEach
  void stop() throws Exception {
    loopback.stop();
  }

  /** A blocking stub sending {@code values} as its authorization metadata. */
  private UserServiceRill.UserServiceBlockingStub authorization(String... values) {
    Metadata headers = new Metadata();
    for (String v : values) {
      headers.put("authorization", v);
    }
    return UserServiceRill.newBlockingStub(loopback.channel).withDeadlineAfter(10, TimeUnit.SECONDS).withMetadata(headers);
  }

  private static Status statusOf(Runnable call) {
    return assertThrows(StatusException.class, call::run).status();
  }

  @Test
  void aCallWithoutATokenFailsUnauthenticatedSayingWhatIsExpected() {
    assertEquals(Status.UNAUTHENTICATED.withDescription("missing 'authorization' metadata: expected 'Bearer <token>'"),
        statusOf(() -> loopback.blocking(null).getUser(USER_1)));
  }

  @Test
  void anUnknownTokenFailsUnauthenticatedWithoutEchoingTheToken() {
    assertEquals(Status.UNAUTHENTICATED.withDescription("invalid bearer token"),
        statusOf(() -> authorization("Bearer alice-token-typo").getUser(USER_1)));
  }

  @Test
  void anotherSchemeFailsUnauthenticated() {
    assertEquals(Status.UNAUTHENTICATED.withDescription("'authorization' metadata: expected the Bearer scheme"),
        statusOf(() -> authorization("Basic YWxpY2U6c2VjcmV0").getUser(USER_1)));
  }

  @Test
  void twoAuthorizationValuesFailUnauthenticatedEvenIfOneIsValid() {
    assertEquals(Status.UNAUTHENTICATED.withDescription("more than one 'authorization' value"),
        statusOf(() -> authorization("Bearer alice-token", "Bearer nobody").getUser(USER_1)));
  }

  @Test
  void theSchemeNameIsCaseInsensitive() {
    // Past the interceptor: the handler answers, NOT_FOUND since the store is empty.
    assertEquals(Status.Code.NOT_FOUND, statusOf(() -> authorization("bearer alice-token").getUser(USER_1)).code());
    assertEquals(Status.Code.NOT_FOUND, statusOf(() -> authorization("BEARER alice-token").getUser(USER_1)).code());
  }

  @Test
  void everyKindOfCallIsRejectedBeforeItsHandlerRuns() throws Exception {
    assertEquals(Status.Code.UNAUTHENTICATED, statusOf(
        () -> loopback.blocking("wrong").listUsers(ListUsersRequest.getDefaultInstance()).hasNext()).code());

    ResponseQueue<BatchCreateResponse> batch = new ResponseQueue<>();
    StreamObserver<UserCreate> creates = loopback.async("wrong").batchCreateUsers(batch);
    creates.onNext(UserCreate.newBuilder().setEmail("mallory@example.com").build());
    creates.onCompleted();
    assertEquals(Status.Code.UNAUTHENTICATED, batch.awaitClose(WAIT).code());

    ResponseQueue<ChatMessage> chat = new ResponseQueue<>();
    loopback.async("wrong").chat(chat).onNext(ChatMessage.newBuilder().setText("hi").build());
    assertEquals(Status.Code.UNAUTHENTICATED, chat.awaitClose(WAIT).code());

    // Nothing reached the store.
    assertFalse(loopback.blocking(ALICE).listUsers(ListUsersRequest.getDefaultInstance()).hasNext());
  }

  @Test
  void theHealthServiceNeedsNoToken() {
    assertEquals(ServingStatus.SERVING, HealthRill.newBlockingStub(loopback.channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(UserServiceRill.SERVICE_NAME).build()).getStatus());
  }
}
