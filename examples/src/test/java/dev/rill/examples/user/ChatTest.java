package dev.rill.examples.user;

import static dev.rill.examples.user.UserLoopback.ALICE;
import static dev.rill.examples.user.UserLoopback.BOB;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Timestamp;
import dev.rill.Status;
import dev.rill.StreamObserver;
import dev.rill.examples.user.v1.ChatMessage;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Chat, the bidi RPC, with several participants over a loopback socket. Each step waits for the
 * message the previous one caused, so the order every participant sees is deterministic.
 */
class ChatTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Timestamp NOW = Timestamp.newBuilder()
      .setSeconds(UserLoopback.NOW.getEpochSecond()).setNanos(UserLoopback.NOW.getNano()).build();

  private UserLoopback loopback;

  @BeforeEach
  void start() throws Exception {
    loopback = UserLoopback.plaintext();
  }

  @AfterEach
  void stop() throws Exception {
    loopback.stop();
  }

  private static ChatMessage said(String sender, String text) {
    return ChatMessage.newBuilder().setSender(sender).setText(text).setSentAt(NOW).build();
  }

  private static ChatMessage text(String text) {
    return ChatMessage.newBuilder().setText(text).build();
  }

  /** One participant's two directions. */
  private final class Member {
    final ResponseQueue<ChatMessage> heard = new ResponseQueue<>();
    final StreamObserver<ChatMessage> says;

    Member(String token, String name) throws InterruptedException {
      says = loopback.async(token).chat(heard);
      assertEquals(said("server", name + " joined"), heard.next(WAIT));
    }
  }

  @Test
  void everyParticipantHearsEveryMessageStampedWithItsSenderAndTheServersTime() throws Exception {
    Member alice = new Member(ALICE, "alice");
    Member bob = new Member(BOB, "bob");
    assertEquals(said("server", "bob joined"), alice.heard.next(WAIT));

    alice.says.onNext(text("hello"));
    assertEquals(said("alice", "hello"), alice.heard.next(WAIT));
    assertEquals(said("alice", "hello"), bob.heard.next(WAIT));
    bob.says.onNext(text("hi"));
    assertEquals(said("bob", "hi"), bob.heard.next(WAIT));
    assertEquals(said("bob", "hi"), alice.heard.next(WAIT));

    alice.says.onCompleted();
    assertEquals(Status.OK, alice.heard.awaitClose(WAIT));
    assertEquals(said("server", "alice left"), bob.heard.next(WAIT));
    bob.says.onCompleted();
    assertEquals(Status.OK, bob.heard.awaitClose(WAIT));
  }

  @Test
  void theSenderIsTheTokensOwnerWhateverTheClientClaims() throws Exception {
    Member bob = new Member(BOB, "bob");

    bob.says.onNext(ChatMessage.newBuilder().setSender("alice").setText("it's me, alice").build());

    assertEquals(said("bob", "it's me, alice"), bob.heard.next(WAIT));
    bob.says.onCompleted();
    assertEquals(Status.OK, bob.heard.awaitClose(WAIT));
  }

  @Test
  void anEmptyMessageEndsOnlyItsSendersCallWithInvalidArgument() throws Exception {
    Member alice = new Member(ALICE, "alice");
    Member bob = new Member(BOB, "bob");
    assertEquals(said("server", "bob joined"), alice.heard.next(WAIT));

    bob.says.onNext(text("  "));

    assertEquals(Status.INVALID_ARGUMENT.withDescription("chat message: text must not be empty"),
        bob.heard.awaitClose(WAIT));
    assertEquals(said("server", "bob left"), alice.heard.next(WAIT));
    alice.says.onNext(text("still here"));
    assertEquals(said("alice", "still here"), alice.heard.next(WAIT));
    alice.says.onCompleted();
    assertEquals(Status.OK, alice.heard.awaitClose(WAIT));
  }

  @Test
  void aParticipantWhoCancelsLeavesTheRoom() throws Exception {
    Member alice = new Member(ALICE, "alice");
    Member bob = new Member(BOB, "bob");
    assertEquals(said("server", "bob joined"), alice.heard.next(WAIT));

    bob.says.onError(new RuntimeException("bob closed the app"));

    assertEquals(Status.Code.CANCELLED, bob.heard.awaitClose(WAIT).code());
    assertEquals(said("server", "bob left"), alice.heard.next(WAIT));
    alice.says.onCompleted();
    assertEquals(Status.OK, alice.heard.awaitClose(WAIT));
  }

  @Test
  void theSameCallerMayJoinTwice() throws Exception {
    Member phone = new Member(ALICE, "alice");
    Member laptop = new Member(ALICE, "alice");
    assertEquals(said("server", "alice joined"), phone.heard.next(WAIT));

    laptop.says.onNext(text("from the laptop"));

    assertEquals(said("alice", "from the laptop"), phone.heard.next(WAIT));
    assertEquals(said("alice", "from the laptop"), laptop.heard.next(WAIT));
    phone.says.onCompleted();
    assertEquals(Status.OK, phone.heard.awaitClose(WAIT));
    assertEquals(said("server", "alice left"), laptop.heard.next(WAIT));
    laptop.says.onCompleted();
    assertEquals(Status.OK, laptop.heard.awaitClose(WAIT));
  }
}
