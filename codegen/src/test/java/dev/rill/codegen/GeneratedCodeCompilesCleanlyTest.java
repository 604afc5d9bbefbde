package dev.rill.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles every Rill source the build generated, alone, with every lint warning on and turned into an
 * error: the message classes (compiled by the build) come from the test class path. Done here rather
 * than by the build's compiler settings, so that warnings in protobuf-java's own generated code (the
 * test protos use deprecated messages on purpose) do not count against ours.
 */
class GeneratedCodeCompilesCleanlyTest {

  @Test
  void theGeneratedSourcesCompileWithoutAnyLintWarning(@TempDir Path classes) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<File> sources = new ArrayList<>();
    for (Path source : TestProtos.generatedRillSources()) {
      sources.add(TestProtos.GENERATED_SOURCES.resolve(source).toFile());
    }
    assertTrue(sources.size() >= 10, "found only " + sources);
    StringWriter output = new StringWriter();
    boolean ok;
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
      List<String> options = List.of(
          "--release", "17", "-Xlint:all", "-Werror", "-encoding", "US-ASCII",
          "-classpath", System.getProperty("java.class.path"),
          "-d", classes.toString());
      ok = javac.getTask(output, files, diagnostics, options, null, files.getJavaFileObjectsFromFiles(sources)).call();
    }
    List<String> problems = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      problems.add(d.getKind() + " " + d.getSource() + ":" + d.getLineNumber() + ": " + d.getMessage(null));
    }
    assertEquals(List.of(), problems, output.toString());
    assertTrue(ok, output.toString());
    assertTrue(Files.exists(classes.resolve("dev/rill/codegen/test/everything/EverythingRill.class")));
  }
}
