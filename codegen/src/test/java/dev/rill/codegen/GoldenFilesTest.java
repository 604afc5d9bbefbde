package dev.rill.codegen;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The generated sources for src/test/proto, compared byte for byte with src/test/golden.
 *
 * <p>After an intended change to the generated code, rewrite the golden files with {@code mvn -pl
 * codegen -am test -Dtest=GoldenFilesTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Drill.codegen.updateGolden=true} and review the diff.
 */
class GoldenFilesTest {
  private static final Path GOLDEN = Path.of("src/test/golden");
  private static final boolean UPDATE = Boolean.getBoolean("rill.codegen.updateGolden");

  @Test
  void theGeneratedSourcesMatchTheGoldenFiles() throws IOException {
    CodeGeneratorResponse response = TestProtos.generate(TestProtos.sourceFileNames());
    if (UPDATE) {
      rewriteGoldenFiles(response);
    }
    List<String> mismatches = new ArrayList<>();
    for (CodeGeneratorResponse.File file : response.getFileList()) {
      Path golden = GOLDEN.resolve(file.getName());
      if (!Files.exists(golden)) {
        mismatches.add(file.getName() + ": no golden file");
      } else if (!Files.readString(golden, UTF_8).equals(file.getContent())) {
        mismatches.add(file.getName() + ": differs from " + golden);
      }
    }
    Set<String> generated = response.getFileList().stream()
        .map(CodeGeneratorResponse.File::getName).collect(Collectors.toCollection(TreeSet::new));
    for (String golden : goldenFiles()) {
      if (!generated.contains(golden)) {
        mismatches.add(golden + ": golden file for nothing generated");
      }
    }
    if (!mismatches.isEmpty()) {
      fail(String.join("\n", mismatches) + "\n(if the change is intended, see this class's javadoc)");
    }
  }

  @Test
  void protocRunningThePluginWritesTheSameFilesAsTheGeneratorInProcess() throws IOException {
    List<Path> fromProtoc = TestProtos.generatedRillSources();
    assertEquals(goldenFiles(), fromProtoc.stream().map(p -> p.toString().replace('\\', '/'))
        .collect(Collectors.toCollection(TreeSet::new)), "files the build's protoc run generated");
    for (Path file : fromProtoc) {
      assertArrayEquals(Files.readAllBytes(GOLDEN.resolve(file)),
          Files.readAllBytes(TestProtos.GENERATED_SOURCES.resolve(file)), file.toString());
    }
  }

  @Test
  void theSameRequestAlwaysGivesTheSameBytes() {
    List<String> files = TestProtos.sourceFileNames();
    byte[] first = TestProtos.generate(files).toByteArray();
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(first, TestProtos.generate(files).toByteArray());
    }
  }

  @Test
  void everyServiceOfEveryFileToGenerateGetsOneFileAndOtherFilesGetNone() {
    CodeGeneratorResponse response = TestProtos.generate(List.of("rill/test/everything.proto"));
    assertEquals(List.of(
            "dev/rill/codegen/test/everything/EverythingRill.java",
            "dev/rill/codegen/test/everything/OtherRill.java",
            "dev/rill/codegen/test/everything/LegacyRill.java"),
        response.getFileList().stream().map(CodeGeneratorResponse.File::getName).collect(Collectors.toList()));
  }

  @Test
  void theGeneratedSourcesAreAsciiWithUnixLineEndsAndNoTrailingSpace() {
    for (CodeGeneratorResponse.File file : TestProtos.generate(TestProtos.sourceFileNames()).getFileList()) {
      String content = file.getContent();
      assertTrue(content.chars().allMatch(c -> c == '\n' || (c >= 0x20 && c < 0x7f)), file.getName());
      assertTrue(content.endsWith("}\n"), file.getName());
      for (String line : content.split("\n", -1)) {
        assertEquals(line.stripTrailing(), line, file.getName());
      }
    }
  }

  private static Set<String> goldenFiles() throws IOException {
    if (!Files.isDirectory(GOLDEN)) {
      return new TreeSet<>();
    }
    try (var paths = Files.walk(GOLDEN)) {
      return paths.filter(Files::isRegularFile)
          .map(p -> GOLDEN.relativize(p).toString().replace('\\', '/'))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static void rewriteGoldenFiles(CodeGeneratorResponse response) throws IOException {
    for (String stale : goldenFiles()) {
      Files.delete(GOLDEN.resolve(stale));
    }
    for (CodeGeneratorResponse.File file : response.getFileList()) {
      Path golden = GOLDEN.resolve(file.getName());
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, file.getContent(), UTF_8);
    }
  }
}
