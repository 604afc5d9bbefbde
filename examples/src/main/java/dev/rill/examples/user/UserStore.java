package dev.rill.examples.user;

import com.google.protobuf.Timestamp;
import dev.rill.examples.user.v1.User;
import dev.rill.examples.user.v1.UserCreate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

/**
 * The users, in memory, keyed by id; emails are unique (compared as {@link Emails#canonical}).
 *
 * <p>Thread-safe. Reads take no lock: a concurrent sorted map lets a page be read in id order while
 * other calls add users. Creation is serialized, because it must check the email index, take the next
 * id and publish the user as one step; two racing creates of the same email must not both win.
 */
final class UserStore {
  private final ConcurrentSkipListMap<Long, User> byId = new ConcurrentSkipListMap<>();
  private final Clock clock;
  /** Canonical email to id. Guarded by {@code this}. */
  private final Map<String, Long> idByEmail = new HashMap<>();
  /** Guarded by {@code this}. */
  private long lastId;

  UserStore(Clock clock) {
    this.clock = clock;
  }

  Optional<User> find(long id) {
    return Optional.ofNullable(byId.get(id));
  }

  /**
   * Creates a user from {@code request}, with the next id and the current time; empty if its email is
   * already taken. The email must be {@link Emails#isValid valid}.
   */
  synchronized Optional<User> create(UserCreate request) {
    if (!Emails.isValid(request.getEmail())) {
      throw new IllegalArgumentException("invalid email: " + request.getEmail());
    }
    String key = Emails.canonical(request.getEmail());
    if (idByEmail.containsKey(key)) {
      return Optional.empty();
    }
    long id = ++lastId;
    User.Builder user = User.newBuilder()
        .setId(id)
        .setEmail(request.getEmail())
        .setName(request.getName())
        .setRole(request.getRole())
        .setCreatedAt(timestamp(clock.instant()))
        .addAllTags(request.getTagsList())
        .putAllMetadata(request.getMetadataMap());
    if (request.hasAddress()) {
      user.setAddress(request.getAddress());
    }
    User created = user.build();
    idByEmail.put(key, id);
    byId.put(id, created);
    return Optional.of(created);
  }

  /** Up to {@code limit} users with an id above {@code afterId} that {@code filter} accepts, in id order. */
  List<User> page(long afterId, int limit, Predicate<User> filter) {
    List<User> page = new ArrayList<>(Math.min(limit, 64));
    for (User user : byId.tailMap(afterId, false).values()) {
      if (page.size() == limit) {
        break;
      }
      if (filter.test(user)) {
        page.add(user);
      }
    }
    return page;
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
  }
}
