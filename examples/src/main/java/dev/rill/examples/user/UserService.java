package dev.rill.examples.user;

import dev.rill.Status;
import dev.rill.StreamObserver;
import dev.rill.examples.user.v1.BatchCreateResponse;
import dev.rill.examples.user.v1.ChatMessage;
import dev.rill.examples.user.v1.GetUserRequest;
import dev.rill.examples.user.v1.GetUserResponse;
import dev.rill.examples.user.v1.ListUsersRequest;
import dev.rill.examples.user.v1.User;
import dev.rill.examples.user.v1.UserCreate;
import dev.rill.examples.user.v1.UserServiceRill;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The server side of user.proto: the generated base's four methods, one RPC kind each, over a
 * {@link UserStore} and a {@link ChatRoom}.
 *
 * <p>Errors go to {@code onError} as a status with a description the client can act on. (Throwing
 * would end the call too, but the runtime would then close it itself, past the interceptors, which
 * would not see the status.)
 */
final class UserService extends UserServiceRill.UserServiceImplBase {
  static final int DEFAULT_PAGE_SIZE = 10;
  static final int MAX_PAGE_SIZE = 100;

  private final UserStore store;
  private final ChatRoom room;

  UserService(UserStore store, ChatRoom room) {
    this.store = store;
    this.room = room;
  }

  @Override
  public void getUser(GetUserRequest request, StreamObserver<GetUserResponse> responses) {
    Optional<User> user = store.find(request.getUserId());
    if (user.isEmpty()) {
      responses.onError(Status.NOT_FOUND.withDescription("user " + request.getUserId() + " not found").asException());
      return;
    }
    responses.onNext(GetUserResponse.newBuilder().setUser(user.get()).build());
    responses.onCompleted();
  }

  @Override
  public void listUsers(ListUsersRequest request, StreamObserver<User> responses) {
    if (request.getPageSize() < 0) {
      responses.onError(invalid("page_size " + request.getPageSize() + ": must not be negative"));
      return;
    }
    int pageSize = request.getPageSize() == 0 ? DEFAULT_PAGE_SIZE : Math.min(request.getPageSize(), MAX_PAGE_SIZE);
    long afterId;
    Predicate<User> filter;
    try {
      afterId = afterId(request.getPageToken());
      filter = UserFilter.parse(request.getFilter());
    } catch (IllegalArgumentException e) {
      responses.onError(invalid(e.getMessage()));
      return;
    }
    // A page is at most MAX_PAGE_SIZE small messages: sent at once, without waiting for isReady().
    for (User user : store.page(afterId, pageSize, filter)) {
      responses.onNext(user);
    }
    responses.onCompleted();
  }

  /** The id a page starts after: none for the first page, else the last id the client received. */
  private static long afterId(String pageToken) {
    if (pageToken.isEmpty()) {
      return 0;
    }
    try {
      long id = Long.parseLong(pageToken);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // Reported below, with the token.
    }
    throw new IllegalArgumentException(
        "page_token '" + pageToken + "': expected the id of the last user of the previous page");
  }

  @Override
  public StreamObserver<UserCreate> batchCreateUsers(StreamObserver<BatchCreateResponse> responses) {
    return new StreamObserver<>() {
      private final BatchCreateResponse.Builder result = BatchCreateResponse.newBuilder();

      @Override
      public void onNext(UserCreate request) {
        // Each user is created as it arrives: a duplicate later in the same batch then fails like one
        // already in the store.
        Optional<User> created = Emails.isValid(request.getEmail()) ? store.create(request) : Optional.empty();
        if (created.isPresent()) {
          result.addCreatedUsers(created.get());
        } else {
          result.addFailedEmails(request.getEmail());
        }
      }

      @Override
      public void onError(Throwable t) {
        // The client cancelled: the users created so far stay created, as with any non-transactional
        // batch; there is nobody left to answer.
      }

      @Override
      public void onCompleted() {
        responses.onNext(result.build());
        responses.onCompleted();
      }
    };
  }

  @Override
  public StreamObserver<ChatMessage> chat(StreamObserver<ChatMessage> responses) {
    String name = Caller.current() != null ? Caller.current() : "anonymous";
    ChatRoom.Participant participant = room.join(name, responses);
    return new StreamObserver<>() {
      @Override
      public void onNext(ChatMessage message) {
        if (message.getText().isBlank()) {
          participant.fail(Status.INVALID_ARGUMENT.withDescription("chat message: text must not be empty"));
        } else {
          participant.say(message.getText());
        }
      }

      @Override
      public void onError(Throwable t) {
        participant.drop();
      }

      @Override
      public void onCompleted() {
        participant.leave();
      }
    };
  }

  private static RuntimeException invalid(String description) {
    return Status.INVALID_ARGUMENT.withDescription(description).asException();
  }
}
