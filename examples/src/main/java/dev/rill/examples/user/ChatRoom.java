package dev.rill.examples.user;

import com.google.protobuf.Timestamp;
import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.StreamObserver;
import dev.rill.examples.user.v1.ChatMessage;
import dev.rill.server.ServerCallStreamObserver;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The room behind Chat: who is in it, and the delivery of every message to all of them.
 *
 * <p>Thread-safe, with one lock. Each participant's messages arrive on that call's callback thread
 * and are delivered from there onto every other participant's call; a call's response side may be used
 * by one thread at a time, and every participant should see the messages in the same order. Holding
 * the room's lock for a whole delivery gives both. Holding it is cheap because sending never blocks:
 * it queues. The price is that a participant who reads slowly makes the server queue its messages; a
 * production room would check {@code isReady()} and drop or disconnect such a reader.
 */
final class ChatRoom {
  /** The sender of join and leave notices. */
  static final String SERVER = "server";

  private final Clock clock;
  /** Guarded by {@code this}. */
  private final Set<Participant> participants = new LinkedHashSet<>();

  ChatRoom(Clock clock) {
    this.clock = clock;
  }

  /** Adds {@code name}, whose messages go to {@code out}, and tells everyone, {@code name} included. */
  synchronized Participant join(String name, StreamObserver<ChatMessage> out) {
    Participant p = new Participant(name, out);
    participants.add(p);
    broadcast(SERVER, name + " joined");
    return p;
  }

  /** Must hold the lock. */
  private void broadcast(String sender, String text) {
    Instant now = clock.instant();
    ChatMessage message = ChatMessage.newBuilder()
        .setSender(sender)
        .setText(text)
        .setSentAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .build();
    for (Participant p : participants) {
      p.deliver(message);
    }
  }

  /** One call's membership. Its methods may be called from any thread. */
  final class Participant {
    private final String name;
    private final StreamObserver<ChatMessage> out;
    /** Guarded by the room. */
    private boolean left;

    private Participant(String name, StreamObserver<ChatMessage> out) {
      this.name = name;
      this.out = out;
    }

    /** Sends {@code text} to everyone in the room as this participant; ignored after leaving. */
    void say(String text) {
      synchronized (ChatRoom.this) {
        if (!left) {
          broadcast(name, text);
        }
      }
    }

    /** Leaves after the client ended its stream: ends this call OK. */
    void leave() {
      end(null);
    }

    /** Leaves with {@code status}, which ends this call. */
    void fail(Status status) {
      end(status);
    }

    /** Leaves because the call was cancelled: nothing more can be sent on it. */
    void drop() {
      synchronized (ChatRoom.this) {
        if (remove()) {
          broadcast(SERVER, name + " left");
        }
      }
    }

    private void end(Status status) {
      synchronized (ChatRoom.this) {
        if (!remove()) {
          return;
        }
        if (!isCancelled()) {
          if (status == null) {
            out.onCompleted();
          } else {
            out.onError(status.asException());
          }
        }
        broadcast(SERVER, name + " left");
      }
    }

    /** Must hold the room's lock. Whether this call was still in the room. */
    private boolean remove() {
      if (left) {
        return false;
      }
      left = true;
      participants.remove(this);
      return true;
    }

    /** Must hold the room's lock. */
    private void deliver(ChatMessage message) {
      // A call that was just cancelled is dropped by its own callback thread soon; until then, skip it.
      if (isCancelled()) {
        return;
      }
      try {
        out.onNext(message);
      } catch (StatusException cancelledMeanwhile) {
        // Cancelled between the check and the send: the send is refused, and drop() follows.
      }
    }

    private boolean isCancelled() {
      return out instanceof ServerCallStreamObserver && ((ServerCallStreamObserver<?>) out).isCancelled();
    }
  }
}
