package dev.rill.codegen;

import com.google.protobuf.DescriptorProtos.Edition;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse.Feature;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns a {@link CodeGeneratorRequest} into the {@link CodeGeneratorResponse} with one
 * {@code FooRill.java} per service of the files to generate. Pure: the same request always gives the
 * same response, byte for byte.
 */
final class CodeGenerator {
  /** Parse requests with these, so that the Java features of edition 2024 files can be read. */
  static final ExtensionRegistry EXTENSIONS = ProtoTypeNames.EXTENSIONS;

  private CodeGenerator() {}

  static CodeGeneratorResponse generate(CodeGeneratorRequest request) {
    CodeGeneratorResponse.Builder response = CodeGeneratorResponse.newBuilder()
        // Services have no fields, so proto3 optional changes nothing here; editions change the Java
        // class names of messages, which ProtoTypeNames follows up to edition 2024.
        .setSupportedFeatures(Feature.FEATURE_PROTO3_OPTIONAL_VALUE | Feature.FEATURE_SUPPORTS_EDITIONS_VALUE)
        .setMinimumEdition(Edition.EDITION_PROTO2_VALUE)
        .setMaximumEdition(Edition.EDITION_2024_VALUE);
    try {
      if (!request.getParameter().isEmpty()) {
        // Rejected rather than ignored, so that a misspelt option is noticed.
        throw new GeneratorException("unknown option '" + request.getParameter() + "': the Rill plugin takes no options");
      }
      ProtoTypeNames types = ProtoTypeNames.of(request.getProtoFileList());
      Map<String, FileDescriptorProto> files = new HashMap<>();
      for (FileDescriptorProto file : request.getProtoFileList()) {
        files.put(file.getName(), file);
      }
      for (String name : request.getFileToGenerateList()) {
        FileDescriptorProto file = files.get(name);
        if (file == null) {
          throw new GeneratorException(name + ": listed to generate but missing from the request");
        }
        DocComments docs = new DocComments(file);
        for (int i = 0; i < file.getServiceCount(); i++) {
          ServiceModel service = ServiceModel.of(file, i, types, docs);
          response.addFile(CodeGeneratorResponse.File.newBuilder()
              .setName(service.outputPath())
              .setContent(ServiceGenerator.generate(service)));
        }
      }
    } catch (GeneratorException e) {
      response.clearFile().setError(e.getMessage());
    }
    return response.build();
  }
}
