package dev.rill.server;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rill.CallContext;
import dev.rill.Metadata;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw {@link ServerCallHandler} that never requests a message on its own: it hands every call to the
 * test, which drives it ({@code request}, {@code sendMessage}, {@code close}) and waits on its events.
 */
final class CallProbe implements ServerCallHandler<String, String> {
  private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
  /** Calls passed over by {@link #call(String)}, by x-id; test thread only. */
  private final Map<String, Call> stash = new HashMap<>();

  @Override
  public ServerCall.Listener<String> startCall(ServerCall<String, String> call, Metadata headers) {
    Call c = new Call(call, headers, CallContext.current());
    calls.add(c);
    return c;
  }

  /** The next call the server started. */
  Call nextCall() throws InterruptedException {
    Call c = calls.poll(RawHttp2Client.TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(c, "no call started within " + RawHttp2Client.TIMEOUT);
    return c;
  }

  /**
   * The call whose request carried {@code x-id: id}. Calls start on the server's executor, so two
   * streams opened together may start in either order; the others are kept for later.
   */
  Call call(String id) throws InterruptedException {
    Call stashed = stash.remove(id);
    if (stashed != null) {
      return stashed;
    }
    while (true) {
      Call c = nextCall();
      if (id.equals(c.headers.get("x-id"))) {
        return c;
      }
      stash.put(c.headers.get("x-id"), c);
    }
  }

  /** Calls started and not yet taken. */
  int pending() {
    return calls.size() + stash.size();
  }

  /** One call and the events its listener got. */
  static final class Call extends ServerCall.Listener<String> {
    final ServerCall<String, String> call;
    final Metadata headers;
    /** The context attached while {@code startCall} ran. */
    final CallContext startContext;
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CountDownLatch halfClosed = new CountDownLatch(1);
    final CountDownLatch cancelled = new CountDownLatch(1);
    final CountDownLatch completed = new CountDownLatch(1);
    /** The context attached while {@code onCancel} ran. */
    volatile CallContext cancelContext;

    Call(ServerCall<String, String> call, Metadata headers, CallContext startContext) {
      this.call = call;
      this.headers = headers;
      this.startContext = startContext;
    }

    @Override
    public void onMessage(String message) {
      messages.add(message);
    }

    @Override
    public void onHalfClose() {
      halfClosed.countDown();
    }

    @Override
    public void onCancel() {
      cancelContext = CallContext.current();
      cancelled.countDown();
    }

    @Override
    public void onComplete() {
      completed.countDown();
    }

    String nextMessage() throws InterruptedException {
      String m = messages.poll(RawHttp2Client.TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(m, "no message within " + RawHttp2Client.TIMEOUT);
      return m;
    }

    void awaitCancelled() throws InterruptedException {
      assertTrue(cancelled.await(RawHttp2Client.TIMEOUT_SECONDS, TimeUnit.SECONDS),
          "onCancel did not fire within " + RawHttp2Client.TIMEOUT);
    }

    void awaitCompleted() throws InterruptedException {
      assertTrue(completed.await(RawHttp2Client.TIMEOUT_SECONDS, TimeUnit.SECONDS),
          "onComplete did not fire within " + RawHttp2Client.TIMEOUT);
    }
  }
}
