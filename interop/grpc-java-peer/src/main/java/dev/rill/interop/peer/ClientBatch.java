package dev.rill.interop.peer;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs several of grpc-java's {@code TestServiceClient} cases in one JVM, so the interop matrix pays
 * for one grpc-java start per security mode instead of one per case.
 *
 * <p>Arguments: the client's own flags (everything but {@code --test_case}), then
 * {@code --cases=a,b,c}. Each case gets a fresh {@code TestServiceClient} (its own channel), driven
 * through the same steps as its {@code main}: parse the flags, set up, run, tear down. {@code main}
 * itself cannot be used because it ends the JVM. Prints one line per case, {@code RESULT <case> PASS}
 * or {@code RESULT <case> FAIL <reason>}, for the runner to read, after a first line
 * {@code PEER openssl-available=true|false}; exits 0 once every case ran.
 */
public final class ClientBatch {
  private static final String CLIENT = "io.grpc.testing.integration.TestServiceClient";

  private ClientBatch() {}

  public static void main(String[] args) throws Exception {
    List<String> common = new ArrayList<>();
    String[] cases = new String[0];
    for (String arg : args) {
      if (arg.startsWith("--cases=")) {
        cases = arg.substring("--cases=".length()).split(",");
      } else {
        common.add(arg);
      }
    }
    Class<?> type = Class.forName(CLIENT);
    Method parseArgs = accessible(type, "parseArgs", String[].class);
    Method setUp = accessible(type, "setUp");
    Method run = accessible(type, "run");
    Method tearDown = accessible(type, "tearDown");
    PrintStream out = System.out;
    // Which TLS grpc-java's Netty picks: BoringSSL when netty-tcnative loads, else the JDK's. The
    // runner checks this against the security the cell claims.
    out.println("PEER openssl-available=" + Class.forName("io.netty.handler.ssl.OpenSsl")
        .getMethod("isAvailable").invoke(null));
    for (String testCase : cases) {
      List<String> caseArgs = new ArrayList<>(common);
      caseArgs.add("--test_case=" + testCase);
      Object client = type.getConstructor().newInstance();
      String failure = null;
      try {
        parseArgs.invoke(client, (Object) caseArgs.toArray(new String[0]));
        setUp.invoke(client);
        try {
          run.invoke(client);
        } finally {
          tearDown.invoke(client);
        }
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        cause.printStackTrace();
        failure = describe(cause);
      }
      out.println("RESULT " + testCase + (failure == null ? " PASS" : " FAIL " + failure));
      out.flush();
    }
    System.exit(0);
  }

  private static Method accessible(Class<?> type, String name, Class<?>... params) throws NoSuchMethodException {
    Method m = type.getDeclaredMethod(name, params);
    m.setAccessible(true);
    return m;
  }

  /** The innermost useful message on one line: run() wraps the assertion in a RuntimeException. */
  private static String describe(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c && (c.getMessage() == null || c instanceof RuntimeException
        && c.getClass() == RuntimeException.class)) {
      c = c.getCause();
    }
    String msg = c.getClass().getSimpleName() + ": " + c.getMessage();
    return msg.replace('\n', ' ').replace('\r', ' ');
  }
}
