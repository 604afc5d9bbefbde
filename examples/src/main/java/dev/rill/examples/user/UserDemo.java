package dev.rill.examples.user;

import com.google.protobuf.Timestamp;
import dev.rill.Metadata;
import dev.rill.Status;
import dev.rill.StatusException;
import dev.rill.StreamObserver;
import dev.rill.client.AbstractStub;
import dev.rill.client.ClientChannel;
import dev.rill.client.ClientTls;
import dev.rill.examples.user.v1.Address;
import dev.rill.examples.user.v1.BatchCreateResponse;
import dev.rill.examples.user.v1.ChatMessage;
import dev.rill.examples.user.v1.GetUserRequest;
import dev.rill.examples.user.v1.ListUsersRequest;
import dev.rill.examples.user.v1.User;
import dev.rill.examples.user.v1.UserCreate;
import dev.rill.examples.user.v1.UserRole;
import dev.rill.examples.user.v1.UserServiceRill;
import dev.rill.server.ServerTls;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthRill;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What {@code ./rill demo} runs: starts the UserService example on a free loopback port (over TLS,
 * with a throwaway self-signed certificate, when given {@code --tls}) and takes a client through the
 * four RPC kinds and the error cases, printing each step with the server's log lines. Every step
 * also checks what it got; the exit status is 1 if a check failed.
 */
public final class UserDemo {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String ALICE = "alice-token";
  private static final String BOB = "bob-token";

  private final ClientChannel channel;
  private final PrintStream out;
  private final List<String> failures = new ArrayList<>();
  private int checks;

  private UserDemo(ClientChannel channel, PrintStream out) {
    this.channel = channel;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    boolean tls = false;
    for (String arg : args) {
      if (arg.equals("--tls")) {
        tls = true;
      } else {
        System.err.println(arg.equals("-h") || arg.equals("--help") ? "" : "demo: unknown option '" + arg + "'");
        System.err.println("usage: ./rill demo [--tls]");
        System.exit(arg.equals("-h") || arg.equals("--help") ? 0 : 2);
      }
    }
    System.exit(run(tls, System.out) ? 0 : 1);
  }

  /** Runs the whole demo, printing to {@code out}; returns whether every check passed. */
  static boolean run(boolean tls, PrintStream out) throws Exception {
    ThrowawayCertificate certificate = tls ? ThrowawayCertificate.create() : null;
    ServerTls serverTls = tls
        ? ServerTls.builder().keyCertChain(certificate.certificatePem(), certificate.privateKeyPem()).build() : null;
    UserServer server = UserServer.start(serverTls, UserServer.DEMO_TOKENS, Clock.systemUTC(),
        line -> out.println("      server log: " + line));
    ClientChannel.Builder channel = ClientChannel.forAddress("127.0.0.1", server.port());
    if (tls) {
      channel.tls(ClientTls.builder().trustRoots(certificate.certificatePem()).build());
    }
    UserDemo demo = new UserDemo(channel.build(), out);
    try {
      out.println("Rill demo: user.v1.UserService on 127.0.0.1:" + server.port()
          + (tls ? " over TLS (a self-signed certificate made just now)" : " over plaintext HTTP/2 (--tls for TLS)"));
      out.println("Tokens: alice-token (alice), bob-token (bob); the server logs every call.");
      demo.steps();
    } finally {
      demo.channel.shutdown();
      server.stop();
      demo.channel.awaitTermination(10, TimeUnit.SECONDS);
    }
    return demo.summary();
  }

  private void steps() throws InterruptedException {
    attempt("health check", this::health);
    attempt("client streaming", this::batchCreate);
    attempt("unary", this::getUser);
    attempt("server streaming", this::listUsers);
    attempt("bidi streaming", this::chat);
    attempt("errors", this::errors);
  }

  private void health() {
    step("health", "Health/Check(service=\"user.v1.UserService\"), no token needed");
    String status = HealthRill.newBlockingStub(channel).withDeadlineAfter(WAIT.toSeconds(), TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(UserServiceRill.SERVICE_NAME).build())
        .getStatus().name();
    result(status);
    check("the service reports SERVING", status.equals("SERVING"));
  }

  private void batchCreate() throws InterruptedException {
    step("client streaming", "BatchCreateUsers as alice: 5 users, one invalid email, one taken");
    // Built before the call starts, so the logged duration is the server's, not the client's first
    // use of the message classes.
    List<UserCreate> users = List.of(
        newUser("ada@example.com", "Ada Lovelace", UserRole.USER_ROLE_ADMIN, List.of("math", "pioneer"),
            Map.of("team", "analytical-engine"), street("12 St James's Square", "London", "GB")),
        newUser("grace@example.com", "Grace Hopper", UserRole.USER_ROLE_EDITOR, List.of("compilers"),
            Map.of("rank", "rear-admiral"), poBox("PO Box 1906", "Arlington", "US")),
        newUser("not-an-email", "Nobody", UserRole.USER_ROLE_VIEWER, List.of(), Map.of(), null),
        newUser("alan@example.com", "Alan Turing", UserRole.USER_ROLE_VIEWER, List.of("math"),
            Map.of(), street("Bletchley Park", "Milton Keynes", "GB")),
        newUser("ADA@example.com", "Ada, again", UserRole.USER_ROLE_VIEWER, List.of(), Map.of(), null));
    ResponseQueue<BatchCreateResponse> response = new ResponseQueue<>();
    StreamObserver<UserCreate> requests = authorized(UserServiceRill.newStub(channel), ALICE).batchCreateUsers(response);
    users.forEach(requests::onNext);
    requests.onCompleted();
    BatchCreateResponse created = response.next(WAIT);
    Status status = response.awaitClose(WAIT);
    for (User user : created.getCreatedUsersList()) {
      result("created " + describe(user));
    }
    result("failed_emails " + created.getFailedEmailsList());
    check("the call ends OK", status.isOk());
    check("three users are created", created.getCreatedUsersCount() == 3);
    check("the invalid email and the taken one fail",
        created.getFailedEmailsList().equals(List.of("not-an-email", "ADA@example.com")));
  }

  private void getUser() {
    step("unary", "GetUser(user_id=1) as bob");
    User user = authorized(UserServiceRill.newBlockingStub(channel), BOB)
        .getUser(GetUserRequest.newBuilder().setUserId(1).build()).getUser();
    result(describe(user));
    check("user 1 is Ada, with everything she was created with", user.getEmail().equals("ada@example.com")
        && user.getRole() == UserRole.USER_ROLE_ADMIN && user.getTagsList().equals(List.of("math", "pioneer"))
        && user.getMetadataMap().equals(Map.of("team", "analytical-engine"))
        && user.getAddress().getLocationCase() == Address.LocationCase.STREET_ADDRESS && user.hasCreatedAt());
  }

  private void listUsers() {
    step("server streaming", "ListUsers(page_size=2), then the next page, then filter=\"tag=math\"");
    List<Long> first = listIds(ListUsersRequest.newBuilder().setPageSize(2).build());
    result("page 1: users " + first);
    List<Long> second = listIds(ListUsersRequest.newBuilder().setPageSize(2)
        .setPageToken(Long.toString(first.get(first.size() - 1))).build());
    result("page 2 (page_token=\"" + first.get(first.size() - 1) + "\"): users " + second + ", the last page");
    List<Long> math = listIds(ListUsersRequest.newBuilder().setFilter("tag=math").build());
    result("tag=math: users " + math);
    check("the pages hold 1, 2 and then 3", first.equals(List.of(1L, 2L)) && second.equals(List.of(3L)));
    check("the filter keeps Ada and Alan", math.equals(List.of(1L, 3L)));
  }

  private List<Long> listIds(ListUsersRequest request) {
    List<Long> ids = new ArrayList<>();
    authorized(UserServiceRill.newBlockingStub(channel), ALICE).listUsers(request)
        .forEachRemaining(user -> ids.add(user.getId()));
    return ids;
  }

  private void chat() throws InterruptedException {
    step("bidi streaming", "Chat: alice and bob in one room; each waits for what the other did");
    UserServiceRill.UserServiceStub chat = UserServiceRill.newStub(channel);
    ResponseQueue<ChatMessage> toAlice = new ResponseQueue<>();
    StreamObserver<ChatMessage> fromAlice = authorized(chat, ALICE).chat(toAlice);
    expectChat("alice", toAlice, "server", "alice joined");
    ResponseQueue<ChatMessage> toBob = new ResponseQueue<>();
    StreamObserver<ChatMessage> fromBob = authorized(chat, BOB).chat(toBob);
    expectChat("bob", toBob, "server", "bob joined");
    expectChat("alice", toAlice, "server", "bob joined");
    say("alice", fromAlice, "hi bob, how are the compilers?");
    expectChat("alice", toAlice, "alice", "hi bob, how are the compilers?");
    expectChat("bob", toBob, "alice", "hi bob, how are the compilers?");
    say("bob", fromBob, "compiling. bye!");
    expectChat("alice", toAlice, "bob", "compiling. bye!");
    expectChat("bob", toBob, "bob", "compiling. bye!");
    result("bob -> (ends his stream)");
    fromBob.onCompleted();
    check("bob's call ends OK", toBob.awaitClose(WAIT).isOk());
    expectChat("alice", toAlice, "server", "bob left");
    result("alice -> (ends her stream)");
    fromAlice.onCompleted();
    check("alice's call ends OK", toAlice.awaitClose(WAIT).isOk());
  }

  private void say(String who, StreamObserver<ChatMessage> requests, String text) {
    result(String.format("%-5s -> \"%s\"", who, text));
    requests.onNext(ChatMessage.newBuilder().setText(text).build());
  }

  private void expectChat(String who, ResponseQueue<ChatMessage> messages, String sender, String text)
      throws InterruptedException {
    ChatMessage m = messages.next(WAIT);
    result(String.format("%-5s <- %s: %s  (sent_at %s)", who, m.getSender(), m.getText(), instant(m.getSentAt())));
    check(who + " hears " + sender + ": " + text, m.getSender().equals(sender) && m.getText().equals(text));
  }

  private void errors() {
    step("errors", "what goes wrong, and the status the client gets");
    expectFailure("GetUser(user_id=999) as alice", Status.Code.NOT_FOUND, () ->
        authorized(UserServiceRill.newBlockingStub(channel), ALICE).getUser(GetUserRequest.newBuilder().setUserId(999).build()));
    expectFailure("GetUser(user_id=1) without a token", Status.Code.UNAUTHENTICATED, () ->
        UserServiceRill.newBlockingStub(channel).withDeadlineAfter(WAIT.toSeconds(), TimeUnit.SECONDS)
            .getUser(GetUserRequest.newBuilder().setUserId(1).build()));
    expectFailure("GetUser(user_id=1) with 'Bearer stolen-token'", Status.Code.UNAUTHENTICATED, () ->
        authorized(UserServiceRill.newBlockingStub(channel), "stolen-token")
            .getUser(GetUserRequest.newBuilder().setUserId(1).build()));
    expectFailure("ListUsers(page_token=\"abc\")", Status.Code.INVALID_ARGUMENT, () ->
        authorized(UserServiceRill.newBlockingStub(channel), ALICE)
            .listUsers(ListUsersRequest.newBuilder().setPageToken("abc").build()).hasNext());
    out.println("    - an invalid email: not an error status but an entry in failed_emails (see client streaming)");
  }

  private void expectFailure(String what, Status.Code expected, Supplier<?> call) {
    try {
      call.get();
      result(what + " -> OK?");
      check(what + " fails " + expected, false);
    } catch (StatusException e) {
      result(what + " -> " + e.status().code() + ": " + e.status().description());
      check(what + " fails " + expected, e.status().code() == expected);
    }
  }

  private static <S extends AbstractStub<S>> S authorized(S stub, String token) {
    return stub.withMetadata(new Metadata().put(BearerAuthInterceptor.AUTHORIZATION, "Bearer " + token))
        .withDeadlineAfter(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static UserCreate newUser(String email, String name, UserRole role, List<String> tags,
      Map<String, String> metadata, Address address) {
    UserCreate.Builder user = UserCreate.newBuilder().setEmail(email).setName(name).setRole(role)
        .addAllTags(tags).putAllMetadata(metadata);
    return address == null ? user.build() : user.setAddress(address).build();
  }

  private static Address street(String street, String city, String country) {
    return Address.newBuilder().setStreetAddress(street).setCity(city).setCountryCode(country).build();
  }

  private static Address poBox(String poBox, String city, String country) {
    return Address.newBuilder().setPoBox(poBox).setCity(city).setCountryCode(country).build();
  }

  private static String describe(User user) {
    Address a = user.getAddress();
    String location = a.getLocationCase() == Address.LocationCase.PO_BOX ? a.getPoBox() : a.getStreetAddress();
    return "#" + user.getId() + " " + user.getName() + " <" + user.getEmail() + "> " + user.getRole()
        + " tags=" + user.getTagsList() + " metadata=" + user.getMetadataMap().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",", "{", "}"))
        + (user.hasAddress() ? " address=" + a.getLocationCase() + "(" + location + ", " + a.getCity() + " "
            + a.getCountryCode() + ")" : "")
        + " created_at=" + instant(user.getCreatedAt());
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  /** A step that throws counts as one failed check; the next steps still run. */
  private void attempt(String name, Step step) throws InterruptedException {
    try {
      step.run();
    } catch (RuntimeException e) {
      result("!! " + e);
      check(name + " completes", false);
    }
  }

  @FunctionalInterface
  private interface Step {
    void run() throws InterruptedException;
  }

  private void step(String kind, String what) {
    out.println();
    out.println("[" + kind + "] " + what);
  }

  private void result(String line) {
    out.println("    " + line);
  }

  private void check(String what, boolean ok) {
    checks++;
    if (!ok) {
      failures.add(what);
      out.println("    !! expected: " + what);
    }
  }

  private boolean summary() {
    out.println();
    if (failures.isEmpty()) {
      out.println("demo: all " + checks + " checks passed");
    } else {
      out.println("demo: " + failures.size() + " of " + checks + " checks FAILED: " + failures);
    }
    return failures.isEmpty();
  }
}
