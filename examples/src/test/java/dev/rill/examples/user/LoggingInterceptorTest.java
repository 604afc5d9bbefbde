package dev.rill.examples.user;

import static dev.rill.examples.user.UserLoopback.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.StreamObserver;
import dev.rill.examples.user.v1.ChatMessage;
import dev.rill.examples.user.v1.GetUserRequest;
import dev.rill.examples.user.v1.ListUsersRequest;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthRill;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server's log line per call: method, status and duration. The duration's value is not asserted,
 * only that it is there.
 */
class LoggingInterceptorTest {
  private static final String DURATION = " \\(\\d+\\.\\d ms\\)";

  private UserLoopback loopback;

  @BeforeEach
  void start() throws Exception {
    loopback = UserLoopback.plaintext();
  }

  @AfterEach
  void stop() throws Exception {
    loopback.stop();
  }

  private void assertLogged(String expectedBeforeDuration) throws InterruptedException {
    String line = loopback.nextLogLine();
    assertTrue(line.matches(java.util.regex.Pattern.quote(expectedBeforeDuration) + DURATION),
        "log line: " + line);
  }

  @Test
  void aSuccessfulCallIsLoggedWithItsMethodAndOk() throws Exception {
    loopback.blocking(ALICE).listUsers(ListUsersRequest.getDefaultInstance()).forEachRemaining(u -> { });

    assertLogged("user.v1.UserService/ListUsers -> OK");
  }

  @Test
  void aFailedCallIsLoggedWithItsCodeAndDescription() throws Exception {
    assertThrows(StatusException.class,
        () -> loopback.blocking(ALICE).getUser(GetUserRequest.newBuilder().setUserId(7).build()));

    assertLogged("user.v1.UserService/GetUser -> NOT_FOUND: user 7 not found");
  }

  @Test
  void aCallTheAuthInterceptorRejectsIsLoggedToo() throws Exception {
    assertThrows(StatusException.class,
        () -> loopback.blocking("forged").getUser(GetUserRequest.newBuilder().setUserId(1).build()));

    assertLogged("user.v1.UserService/GetUser -> UNAUTHENTICATED: invalid bearer token");
  }

  @Test
  void aCallTheClientCancelsIsLoggedAsCancelled() throws Exception {
    ResponseQueue<ChatMessage> heard = new ResponseQueue<>();
    StreamObserver<ChatMessage> says = loopback.async(ALICE).chat(heard);
    heard.next(Duration.ofSeconds(10)); // "alice joined": the server has started the call

    says.onError(new RuntimeException("gone"));

    assertEquals(Status.Code.CANCELLED, heard.awaitClose(Duration.ofSeconds(10)).code());
    String line = loopback.nextLogLine();
    assertTrue(line.startsWith("user.v1.UserService/Chat -> CANCELLED"), "log line: " + line);
  }

  @Test
  void theHealthServiceIsLoggedAsWell() throws Exception {
    HealthRill.newBlockingStub(loopback.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance());

    assertLogged("grpc.health.v1.Health/Check -> OK");
  }
}
