package dev.rill.codegen;

import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The Rill plugin for protoc: generates Rill stubs and server bases for the services of .proto files.
 *
 * <p>protoc starts it with a {@code CodeGeneratorRequest} on standard input and reads the
 * {@code CodeGeneratorResponse} from standard output (see {@code google/protobuf/compiler/plugin.proto}).
 * For each service {@code Foo} it writes {@code FooRill.java}, next to the message classes that protoc's
 * own Java generator writes, holding:
 *
 * <ul>
 *   <li>{@code SERVICE_NAME} and a method descriptor getter per RPC ({@code getBarMethod()});
 *   <li>{@code FooImplBase}, the server base with one method per RPC to override;
 *   <li>{@code FooStub} (futures and stream observers) and {@code FooBlockingStub}, made by
 *       {@code newStub(channel)} and {@code newBlockingStub(channel)}.
 * </ul>
 *
 * <p>Run it as a protoc plugin, for example with a Maven protobuf plugin's JVM plugin support (main class
 * {@code dev.rill.codegen.RillProtocPlugin}, or the jar's manifest), or by hand:
 * {@code protoc --plugin=protoc-gen-rill=SCRIPT --rill_out=DIR --java_out=DIR foo.proto}, where SCRIPT
 * runs this class with protobuf-java on the class path. The plugin takes no options.
 *
 * <p>Problems with the input (a generated class that would clash with a message class, for instance)
 * are reported through protoc as errors; an unexpected failure prints its stack trace and exits with
 * status 1.
 */
public final class RillProtocPlugin {
  private RillProtocPlugin() {}

  /** Reads the request from standard input and writes the response to standard output. */
  public static void main(String[] args) throws IOException {
    if (args.length > 0) {
      System.err.println("rill-codegen is a protoc plugin: run it from protoc, which passes no arguments");
      System.exit(2);
    }
    OutputStream out = new BufferedOutputStream(System.out);
    run(System.in, out);
    out.flush();
  }

  /** Reads one request from {@code in} and writes its response to {@code out}. */
  static void run(InputStream in, OutputStream out) throws IOException {
    CodeGeneratorRequest request = CodeGeneratorRequest.parseFrom(in, CodeGenerator.EXTENSIONS);
    CodeGeneratorResponse response = CodeGenerator.generate(request);
    response.writeTo(out);
  }
}
