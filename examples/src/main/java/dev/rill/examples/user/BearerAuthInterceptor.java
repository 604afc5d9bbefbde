package dev.rill.examples.user;

import dev.rill.Metadata;
import dev.rill.Status;
import dev.rill.server.ForwardingServerCallListener;
import dev.rill.server.ServerCall;
import dev.rill.server.ServerCallHandler;
import dev.rill.server.ServerInterceptor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

/**
 * Lets a call reach its handler only with {@code authorization: Bearer <token>} metadata carrying a
 * known token, and closes it UNAUTHENTICATED otherwise. Inside an admitted call the token's owner is
 * {@link Caller#current()}.
 *
 * <p>The tokens are a fixed table, as befits an example; a real service verifies a signed token (a
 * JWT's signature, audience and expiry) or asks its identity provider, in the same place.
 */
final class BearerAuthInterceptor implements ServerInterceptor {
  static final String AUTHORIZATION = "authorization";
  private static final String SCHEME = "Bearer ";

  private final Map<String, String> namesByToken;

  /** {@code namesByToken}: each valid token and the name of the caller it stands for. */
  BearerAuthInterceptor(Map<String, String> namesByToken) {
    this.namesByToken = Map.copyOf(namesByToken);
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    List<String> values = headers.getAll(AUTHORIZATION);
    String name = null;
    String problem;
    if (values.isEmpty()) {
      problem = "missing 'authorization' metadata: expected 'Bearer <token>'";
    } else if (values.size() > 1) {
      problem = "more than one 'authorization' value";
    } else if (!values.get(0).regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      // The scheme name is case-insensitive (RFC 9110, section 11.1).
      problem = "'authorization' metadata: expected the Bearer scheme";
    } else {
      name = owner(values.get(0).substring(SCHEME.length()).strip());
      problem = "invalid bearer token"; // never echo the token: it may be a real one, mistyped
    }
    if (name == null) {
      call.close(Status.UNAUTHENTICATED.withDescription(problem), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    String caller = name;
    return new CallerListener<>(Caller.callAs(caller, () -> next.startCall(call, headers)), caller);
  }

  /**
   * The owner of {@code token}, or {@code null}. Compares with every token, in constant time, so that
   * how long a rejection takes does not tell a guesser how close the guess was.
   */
  private String owner(String token) {
    byte[] presented = token.getBytes(StandardCharsets.UTF_8);
    String owner = null;
    for (Map.Entry<String, String> e : namesByToken.entrySet()) {
      if (MessageDigest.isEqual(presented, e.getKey().getBytes(StandardCharsets.UTF_8))) {
        owner = e.getValue();
      }
    }
    return owner;
  }

  /** Binds the caller around every callback, since handler code runs inside them. */
  private static final class CallerListener<ReqT> extends ForwardingServerCallListener<ReqT> {
    private final String caller;

    CallerListener(ServerCall.Listener<ReqT> delegate, String caller) {
      super(delegate);
      this.caller = caller;
    }

    @Override
    public void onMessage(ReqT message) {
      Caller.runAs(caller, () -> super.onMessage(message));
    }

    @Override
    public void onHalfClose() {
      Caller.runAs(caller, super::onHalfClose);
    }

    @Override
    public void onCancel() {
      Caller.runAs(caller, super::onCancel);
    }

    @Override
    public void onComplete() {
      Caller.runAs(caller, super::onComplete);
    }

    @Override
    public void onReady() {
      Caller.runAs(caller, super::onReady);
    }
  }
}
