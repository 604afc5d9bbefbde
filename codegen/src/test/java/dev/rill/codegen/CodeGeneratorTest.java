package dev.rill.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.Edition;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileOptions;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodeGeneratorTest {

  private static FileDescriptorProto service(String fileName, String pkg, FileOptions options,
      String serviceName, String requestType, String... messages) {
    FileDescriptorProto.Builder file = FileDescriptorProto.newBuilder()
        .setName(fileName).setPackage(pkg).setSyntax("proto3").setOptions(options)
        .addService(ServiceDescriptorProto.newBuilder().setName(serviceName)
            .addMethod(MethodDescriptorProto.newBuilder().setName("Get")
                .setInputType(requestType).setOutputType(requestType)));
    for (String m : messages) {
      file.addMessageType(DescriptorProto.newBuilder().setName(m));
    }
    return file.build();
  }

  private static CodeGeneratorResponse generate(String parameter, FileDescriptorProto... files) {
    CodeGeneratorRequest.Builder request = CodeGeneratorRequest.newBuilder()
        .addFileToGenerate(files[files.length - 1].getName())
        .addAllProtoFile(List.of(files));
    if (parameter != null) {
      request.setParameter(parameter);
    }
    return CodeGenerator.generate(request.build());
  }

  @Test
  void theResponseDeclaresProto3OptionalAndEditionsUpTo2024() {
    CodeGeneratorResponse response = generate(null,
        service("a.proto", "a", FileOptions.getDefaultInstance(), "Svc", ".a.M", "M"));
    assertFalse(response.hasError(), response.getError());
    assertEquals(CodeGeneratorResponse.Feature.FEATURE_PROTO3_OPTIONAL_VALUE
        | CodeGeneratorResponse.Feature.FEATURE_SUPPORTS_EDITIONS_VALUE, response.getSupportedFeatures());
    assertEquals(Edition.EDITION_PROTO2_VALUE, response.getMinimumEdition());
    assertEquals(Edition.EDITION_2024_VALUE, response.getMaximumEdition());
    assertEquals("a/SvcRill.java", response.getFile(0).getName());
  }

  @Test
  void anOptionIsRejectedSoThatAMisspeltOneIsNoticed() {
    CodeGeneratorResponse response = generate("lite",
        service("a.proto", "a", FileOptions.getDefaultInstance(), "Svc", ".a.M", "M"));
    assertEquals("unknown option 'lite': the Rill plugin takes no options", response.getError());
    assertEquals(0, response.getFileCount());
  }

  @Test
  void aGeneratedClassThatWouldClashWithAMessageClassIsAnError() {
    CodeGeneratorResponse response = generate(null, service("a.proto", "a",
        FileOptions.newBuilder().setJavaMultipleFiles(true).build(), "Svc", ".a.M", "M", "SvcRill"));
    assertTrue(response.getError().contains("would generate class a.SvcRill, but protobuf-java already"
        + " generates a class of that name"), response.getError());
    assertEquals(0, response.getFileCount());
  }

  @Test
  void aGeneratedClassThatWouldClashWithAFileClassIsAnError() {
    CodeGeneratorResponse response = generate(null,
        service("svc_rill.proto", "a", FileOptions.getDefaultInstance(), "Svc", ".a.M", "M"));
    assertTrue(response.getError().contains("would generate class a.SvcRill"), response.getError());
  }

  @Test
  void aMessageOfTheUnnamedPackageUsedFromANamedPackageIsAnError() {
    FileDescriptorProto bare = FileDescriptorProto.newBuilder().setName("bare.proto").setSyntax("proto3")
        .addMessageType(DescriptorProto.newBuilder().setName("M")).build();
    FileDescriptorProto user = service("user.proto", "u", FileOptions.getDefaultInstance(), "Svc", ".M")
        .toBuilder().addDependency("bare.proto").build();
    CodeGeneratorResponse response = generate(null, bare, user);
    assertTrue(response.getError().contains("uses M, whose Java class is in the unnamed package"),
        response.getError());
  }

  @Test
  void aMessageThatANestedGeneratedClassWouldShadowIsAnError() {
    CodeGeneratorResponse response = generate(null, service("bare.proto", "",
        FileOptions.newBuilder().setJavaMultipleFiles(true).build(), "Svc", ".SvcStub", "SvcStub"));
    assertTrue(response.getError().contains("SvcStub"), response.getError());
  }

  @Test
  void thePluginReadsTheRequestAndWritesTheResponseAsProtocExpects() throws Exception {
    CodeGeneratorRequest request = CodeGeneratorRequest.newBuilder()
        .addFileToGenerate("a.proto")
        .addProtoFile(service("a.proto", "a", FileOptions.getDefaultInstance(), "Svc", ".a.M", "M"))
        .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    RillProtocPlugin.run(new ByteArrayInputStream(request.toByteArray()), out);

    CodeGeneratorResponse response = CodeGeneratorResponse.parseFrom(out.toByteArray());
    assertEquals(CodeGenerator.generate(request), response);
    assertTrue(response.getFile(0).getContent().contains("public final class SvcRill {"));
  }
}
