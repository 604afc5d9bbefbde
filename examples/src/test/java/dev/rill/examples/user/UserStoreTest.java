package dev.rill.examples.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.examples.user.v1.User;
import dev.rill.examples.user.v1.UserCreate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UserStoreTest {
  private final UserStore store = new UserStore(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

  private static UserCreate user(String email) {
    return UserCreate.newBuilder().setEmail(email).build();
  }

  @Test
  void racingCreatesOfOneEmailHaveExactlyOneWinnerAndIdsStayDense() throws Exception {
    int threads = 8;
    int emails = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> wins = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        wins.add(pool.submit(() -> {
          go.await();
          int won = 0;
          for (int i = 0; i < emails; i++) {
            won += store.create(user("u" + i + "@example.com")).isPresent() ? 1 : 0;
          }
          return won;
        }));
      }
      go.countDown();
      int total = 0;
      for (Future<Integer> w : wins) {
        total += w.get(30, TimeUnit.SECONDS);
      }
      assertEquals(emails, total);
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
    List<User> all = store.page(0, Integer.MAX_VALUE, u -> true);
    assertEquals(emails, all.size());
    for (int i = 0; i < emails; i++) {
      assertEquals(i + 1, all.get(i).getId());
    }
  }

  @Test
  void aTakenEmailInAnotherCaseIsRefused() {
    assertTrue(store.create(user("Ada@example.com")).isPresent());
    assertEquals(Optional.empty(), store.create(user("ada@EXAMPLE.com")));
  }

  @Test
  void anInvalidEmailIsAProgrammingError() {
    assertThrows(IllegalArgumentException.class, () -> store.create(user("nope")));
  }

  @Test
  void aPageSkipsWhatTheFilterRejectsAndStopsAtTheLimit() {
    for (int i = 1; i <= 6; i++) {
      store.create(user("u" + i + "@example.com"));
    }
    assertEquals(List.of(4L, 6L), store.page(2, 2, u -> u.getId() % 2 == 0).stream().map(User::getId).toList());
  }
}
