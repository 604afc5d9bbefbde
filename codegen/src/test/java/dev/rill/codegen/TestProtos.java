package dev.rill.codegen;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The .proto files of src/test/proto as the build compiled them: the descriptor set that protoc wrote
 * (with imports and comments, see the pom), and what the build's run of the plugin generated.
 */
final class TestProtos {
  /** Written by the protobuf plugin in generate-test-sources. */
  static final Path DESCRIPTOR_SET = Path.of("target/test-protos.pb");
  /** Where that run of protoc wrote the message classes and, through the Rill plugin, the stubs. */
  static final Path GENERATED_SOURCES = Path.of("target/generated-test-sources/protobuf");

  private static FileDescriptorSet descriptors;

  private TestProtos() {}

  /** Every file protoc compiled, imports first. */
  static synchronized List<FileDescriptorProto> files() {
    if (descriptors == null) {
      try (InputStream in = Files.newInputStream(DESCRIPTOR_SET)) {
        descriptors = FileDescriptorSet.parseFrom(in, CodeGenerator.EXTENSIONS);
      } catch (IOException e) {
        throw new UncheckedIOException("run the build's generate-test-sources phase first", e);
      }
    }
    return descriptors.getFileList();
  }

  /** The test's own files, without the well-known types they import. */
  static List<String> sourceFileNames() {
    return files().stream()
        .map(FileDescriptorProto::getName)
        .filter(name -> !name.startsWith("google/protobuf/"))
        .collect(Collectors.toList());
  }

  /** A request like protoc's for {@code filesToGenerate}. */
  static CodeGeneratorRequest request(List<String> filesToGenerate) {
    return CodeGeneratorRequest.newBuilder()
        .addAllFileToGenerate(filesToGenerate)
        .addAllProtoFile(files())
        .build();
  }

  /** Runs the generator on {@code filesToGenerate} and fails on an error response. */
  static CodeGeneratorResponse generate(List<String> filesToGenerate) {
    CodeGeneratorResponse response = CodeGenerator.generate(request(filesToGenerate));
    if (response.hasError()) {
      throw new AssertionError("generator error: " + response.getError());
    }
    return response;
  }

  /** The Rill sources the build's protoc run generated, by path relative to the output directory. */
  static List<Path> generatedRillSources() throws IOException {
    try (var paths = Files.walk(GENERATED_SOURCES)) {
      return paths.filter(p -> p.getFileName().toString().endsWith("Rill.java"))
          .map(GENERATED_SOURCES::relativize)
          .sorted()
          .collect(Collectors.toList());
    }
  }
}
