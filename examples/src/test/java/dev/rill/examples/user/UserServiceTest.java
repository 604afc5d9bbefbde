package dev.rill.examples.user;

import static dev.rill.examples.user.UserLoopback.ALICE;
import static dev.rill.examples.user.UserLoopback.BOB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Timestamp;
import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.StreamObserver;
import dev.rill.examples.user.v1.Address;
import dev.rill.examples.user.v1.BatchCreateResponse;
import dev.rill.examples.user.v1.GetUserRequest;
import dev.rill.examples.user.v1.ListUsersRequest;
import dev.rill.examples.user.v1.User;
import dev.rill.examples.user.v1.UserCreate;
import dev.rill.examples.user.v1.UserRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GetUser, ListUsers and BatchCreateUsers through the generated stubs, over a loopback socket. */
class UserServiceTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private UserLoopback loopback;

  @BeforeEach
  void start() throws Exception {
    loopback = UserLoopback.plaintext();
  }

  @AfterEach
  void stop() throws Exception {
    loopback.stop();
  }

  private static UserCreate user(String email) {
    return UserCreate.newBuilder().setEmail(email).setName("someone").setRole(UserRole.USER_ROLE_VIEWER).build();
  }

  /** Sends {@code users} in one BatchCreateUsers call and returns its response. */
  private BatchCreateResponse batch(List<UserCreate> users) throws InterruptedException {
    ResponseQueue<BatchCreateResponse> response = new ResponseQueue<>();
    StreamObserver<UserCreate> requests = loopback.async(ALICE).batchCreateUsers(response);
    users.forEach(requests::onNext);
    requests.onCompleted();
    BatchCreateResponse result = response.next(WAIT);
    assertEquals(Status.OK, response.awaitClose(WAIT));
    return result;
  }

  private List<Long> ids(ListUsersRequest request) {
    List<Long> ids = new ArrayList<>();
    loopback.blocking(ALICE).listUsers(request).forEachRemaining(u -> ids.add(u.getId()));
    return ids;
  }

  private void createNumbered(int count) throws InterruptedException {
    List<UserCreate> users = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      users.add(user("user" + i + "@example.com").toBuilder().addTags(i % 2 == 0 ? "even" : "odd")
          .setRole(i % 3 == 0 ? UserRole.USER_ROLE_ADMIN : UserRole.USER_ROLE_VIEWER).build());
    }
    assertEquals(count, batch(users).getCreatedUsersCount());
  }

  @Test
  void getUserReturnsEveryFieldTheUserWasCreatedWithPlusIdAndCreationTime() throws Exception {
    UserCreate ada = UserCreate.newBuilder()
        .setEmail("ada@example.com").setName("Ada Lovelace").setRole(UserRole.USER_ROLE_ADMIN)
        .addTags("math").addTags("pioneer").putMetadata("team", "analytical-engine")
        .setAddress(Address.newBuilder().setPoBox("PO Box 1815").setCity("London").setCountryCode("GB"))
        .build();
    batch(List.of(ada));

    User user = loopback.blocking(BOB).getUser(GetUserRequest.newBuilder().setUserId(1).build()).getUser();

    assertEquals(User.newBuilder()
        .setId(1).setEmail("ada@example.com").setName("Ada Lovelace").setRole(UserRole.USER_ROLE_ADMIN)
        .setCreatedAt(Timestamp.newBuilder().setSeconds(UserLoopback.NOW.getEpochSecond())
            .setNanos(UserLoopback.NOW.getNano()))
        .addTags("math").addTags("pioneer").putMetadata("team", "analytical-engine")
        .setAddress(Address.newBuilder().setPoBox("PO Box 1815").setCity("London").setCountryCode("GB"))
        .build(), user);
    assertEquals(Address.LocationCase.PO_BOX, user.getAddress().getLocationCase());
  }

  @Test
  void getUserOfAMissingIdFailsNotFoundNamingTheId() {
    StatusException e = assertThrows(StatusException.class,
        () -> loopback.blocking(ALICE).getUser(GetUserRequest.newBuilder().setUserId(42).build()));
    assertEquals(Status.NOT_FOUND.withDescription("user 42 not found"), e.status());
  }

  @Test
  void batchCreateUsersCreatesTheValidOnesAndListsInvalidAndTakenEmailsInOrder() throws Exception {
    batch(List.of(user("taken@example.com")));

    BatchCreateResponse response = batch(List.of(
        user("new@example.com"),
        user("not-an-email"),
        user("TAKEN@example.com"), // taken before, in another case
        user("twice@example.com"),
        user("twice@example.com"), // taken earlier in this batch
        user("no-domain@"),
        user("spaces in@example.com")));

    assertEquals(List.of("new@example.com", "twice@example.com"),
        response.getCreatedUsersList().stream().map(User::getEmail).toList());
    assertEquals(List.of(2L, 3L), response.getCreatedUsersList().stream().map(User::getId).toList());
    assertEquals(List.of("not-an-email", "TAKEN@example.com", "twice@example.com", "no-domain@",
        "spaces in@example.com"), response.getFailedEmailsList());
  }

  @Test
  void anEmptyBatchCreatesNothingAndStillAnswers() throws Exception {
    assertEquals(BatchCreateResponse.getDefaultInstance(), batch(List.of()));
  }

  @Test
  void listUsersStreamsAPageInIdOrderAndTheLastIdFetchesTheNextPage() throws Exception {
    createNumbered(5);

    List<Long> first = ids(ListUsersRequest.newBuilder().setPageSize(2).build());
    List<Long> second = ids(ListUsersRequest.newBuilder().setPageSize(2).setPageToken("2").build());
    List<Long> third = ids(ListUsersRequest.newBuilder().setPageSize(2).setPageToken("4").build());
    List<Long> past = ids(ListUsersRequest.newBuilder().setPageSize(2).setPageToken("5").build());

    assertEquals(List.of(1L, 2L), first);
    assertEquals(List.of(3L, 4L), second);
    assertEquals(List.of(5L), third);
    assertEquals(List.of(), past);
  }

  @Test
  void listUsersSendsTenUsersWithoutAPageSizeAndAtMostAHundred() throws Exception {
    createNumbered(105);

    assertEquals(UserService.DEFAULT_PAGE_SIZE, ids(ListUsersRequest.getDefaultInstance()).size());
    assertEquals(UserService.MAX_PAGE_SIZE, ids(ListUsersRequest.newBuilder().setPageSize(1000).build()).size());
  }

  @Test
  void listUsersFiltersByRoleAndByTagAndPagesWithinTheFilter() throws Exception {
    createNumbered(7);

    assertEquals(List.of(3L, 6L), ids(ListUsersRequest.newBuilder().setFilter("role=USER_ROLE_ADMIN").build()));
    assertEquals(List.of(2L, 4L, 6L), ids(ListUsersRequest.newBuilder().setFilter("tag=even").build()));
    assertEquals(List.of(4L, 6L),
        ids(ListUsersRequest.newBuilder().setFilter(" tag = even ").setPageToken("2").setPageSize(5).build()));
  }

  @Test
  void listUsersRejectsANegativePageSizeAForeignPageTokenAndAFilterItDoesNotKnow() {
    Map<ListUsersRequest, String> bad = Map.of(
        ListUsersRequest.newBuilder().setPageSize(-1).build(), "page_size -1: must not be negative",
        ListUsersRequest.newBuilder().setPageToken("next").build(),
        "page_token 'next': expected the id of the last user of the previous page",
        ListUsersRequest.newBuilder().setPageToken("-3").build(),
        "page_token '-3': expected the id of the last user of the previous page",
        ListUsersRequest.newBuilder().setFilter("name=ada").build(),
        "filter 'name=ada': expected empty, role=<USER_ROLE_...> or tag=<tag>",
        ListUsersRequest.newBuilder().setFilter("role=ADMIN").build(),
        "filter role 'ADMIN': not a UserRole (e.g. USER_ROLE_ADMIN)");
    bad.forEach((request, description) -> {
      StatusException e = assertThrows(StatusException.class,
          () -> loopback.blocking(ALICE).listUsers(request).hasNext());
      assertEquals(Status.INVALID_ARGUMENT.withDescription(description), e.status());
    });
  }

  @Test
  void concurrentBatchesNeverCreateAnEmailTwice() throws Exception {
    // Four batches in flight at once on one connection, all trying the same ten emails.
    List<ResponseQueue<BatchCreateResponse>> responses = new ArrayList<>();
    List<StreamObserver<UserCreate>> batches = new ArrayList<>();
    for (int b = 0; b < 4; b++) {
      ResponseQueue<BatchCreateResponse> response = new ResponseQueue<>();
      responses.add(response);
      batches.add(loopback.async(ALICE).batchCreateUsers(response));
    }
    for (int i = 0; i < 10; i++) {
      for (StreamObserver<UserCreate> batch : batches) {
        batch.onNext(user("same" + i + "@example.com"));
      }
    }
    batches.forEach(StreamObserver::onCompleted);

    int created = 0;
    int failed = 0;
    for (ResponseQueue<BatchCreateResponse> response : responses) {
      BatchCreateResponse r = response.next(WAIT);
      assertEquals(Status.OK, response.awaitClose(WAIT));
      created += r.getCreatedUsersCount();
      failed += r.getFailedEmailsCount();
    }
    assertEquals(10, created);
    assertEquals(30, failed);
    List<User> all = new ArrayList<>();
    loopback.blocking(ALICE).listUsers(ListUsersRequest.newBuilder().setPageSize(100).build())
        .forEachRemaining(all::add);
    assertEquals(10, all.stream().map(User::getEmail).distinct().count());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), all.stream().map(User::getId).toList());
  }
}
