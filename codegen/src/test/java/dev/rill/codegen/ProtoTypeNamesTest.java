package dev.rill.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.Edition;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FeatureSet;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileOptions;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.JavaFeaturesProto;
import com.google.protobuf.JavaFeaturesProto.JavaFeatures;
import com.google.protobuf.JavaFeaturesProto.JavaFeatures.NestInFileClassFeature.NestInFileClass;
import java.util.List;
import org.junit.jupiter.api.Test;

/** protobuf-java's naming of message classes, case by case (the test protos cover the common ones). */
class ProtoTypeNamesTest {
  // Before any use of JavaFeaturesProto here: see ProtoTypeNames.newExtensions for why.
  private static final Object INITIALIZATION_ORDER = ProtoTypeNames.EXTENSIONS;

  private static FileDescriptorProto.Builder file(String name) {
    return FileDescriptorProto.newBuilder().setName(name).setSyntax("proto3");
  }

  private static DescriptorProto message(String name, DescriptorProto... nested) {
    return DescriptorProto.newBuilder().setName(name).addAllNestedType(List.of(nested)).build();
  }

  private static String javaName(FileDescriptorProto.Builder file, String protoType) {
    return ProtoTypeNames.of(List.of(file.build())).message(protoType).canonicalName();
  }

  @Test
  void theFileClassIsTheCamelCasedBaseNameOfTheFile() {
    assertEquals("FooBarV2", ProtoTypeNames.outerClassName(file("a/b/foo_bar-v2.proto").build()));
    assertEquals("FooBar", ProtoTypeNames.outerClassName(file("foo.bar.proto").build()));
    assertEquals("Old", ProtoTypeNames.outerClassName(file("old.protodevel").build()));
    assertEquals("HTTPApi", ProtoTypeNames.outerClassName(file("HTTPApi.proto").build()));
    assertEquals("Explicit", ProtoTypeNames.outerClassName(file("x.proto")
        .setOptions(FileOptions.newBuilder().setJavaOuterClassname("Explicit")).build()));
  }

  @Test
  void aTypeWithExactlyTheFileClassNameAnywhereInTheFileAddsOuterClass() {
    assertEquals("FooOuterClass", ProtoTypeNames.outerClassName(file("foo.proto")
        .addMessageType(message("Foo")).build()));
    assertEquals("FooOuterClass", ProtoTypeNames.outerClassName(file("foo.proto")
        .addMessageType(message("Bar", message("Baz", message("Foo")))).build()));
    assertEquals("FooOuterClass", ProtoTypeNames.outerClassName(file("foo.proto")
        .addEnumType(EnumDescriptorProto.newBuilder().setName("Foo")).build()));
    assertEquals("FooOuterClass", ProtoTypeNames.outerClassName(file("foo.proto")
        .addMessageType(message("Bar").toBuilder().addEnumType(EnumDescriptorProto.newBuilder().setName("Foo")))
        .build()));
    assertEquals("FooOuterClass", ProtoTypeNames.outerClassName(file("foo.proto")
        .addService(ServiceDescriptorProto.newBuilder().setName("Foo")).build()));
    assertEquals("Foo", ProtoTypeNames.outerClassName(file("foo.proto")
        .addMessageType(message("FOO")).build()), "only an exact match counts");
  }

  @Test
  void edition2024AppendsProtoAndNeverOuterClass() {
    FileDescriptorProto.Builder f = file("foo.proto").setSyntax("editions").setEdition(Edition.EDITION_2024)
        .addMessageType(message("FooProto"));
    assertEquals("FooProto", ProtoTypeNames.outerClassName(f.build()));
    FileDescriptorProto.Builder e2023 = file("foo.proto").setSyntax("editions").setEdition(Edition.EDITION_2023)
        .addMessageType(message("Foo"));
    assertEquals("FooOuterClass", ProtoTypeNames.outerClassName(e2023.build()));
  }

  @Test
  void messagesAreNestedInTheFileClassUnlessJavaMultipleFiles() {
    FileDescriptorProto.Builder f = file("x/my.proto").setPackage("p.q")
        .addMessageType(message("Outer", message("Inner")));
    assertEquals("p.q.My.Outer", javaName(f, ".p.q.Outer"));
    assertEquals("p.q.My.Outer.Inner", javaName(f, "p.q.Outer.Inner"));

    f.setOptions(FileOptions.newBuilder().setJavaMultipleFiles(true).setJavaPackage("com.example"));
    assertEquals("com.example.Outer", javaName(f, ".p.q.Outer"));
    assertEquals("com.example.Outer.Inner", javaName(f, ".p.q.Outer.Inner"));
  }

  @Test
  void edition2024NestsOnlyTheTypesThatAskForIt() {
    MessageOptions nest = MessageOptions.newBuilder().setFeatures(FeatureSet.newBuilder()
        .setExtension(JavaFeaturesProto.java_, JavaFeatures.newBuilder()
            .setNestInFileClass(NestInFileClass.YES).build())).build();
    FileDescriptorProto.Builder f = file("e.proto").setSyntax("editions").setEdition(Edition.EDITION_2024)
        .setPackage("e")
        .addMessageType(message("Own", message("Inner")))
        .addMessageType(message("Kept").toBuilder().setOptions(nest));
    assertEquals("e.Own", javaName(f, ".e.Own"));
    assertEquals("e.Own.Inner", javaName(f, ".e.Own.Inner"));
    assertEquals("e.EProto.Kept", javaName(f, ".e.Kept"));
  }

  @Test
  void aFileWithoutPackageOrJavaPackageUsesTheUnnamedPackage() {
    FileDescriptorProto.Builder f = file("bare.proto").addMessageType(message("Req"));
    assertEquals("Bare.Req", javaName(f, ".Req"));
    assertEquals("", ProtoTypeNames.of(List.of(f.build())).message("Req").javaPackage());
  }

  @Test
  void aMessageIsDeprecatedForJavaWhenItOrAnEnclosingClassIs() {
    DescriptorProto old = message("Old", message("Part")).toBuilder()
        .setOptions(MessageOptions.newBuilder().setDeprecated(true)).build();
    ProtoTypeNames names = ProtoTypeNames.of(List.of(
        file("a.proto").setPackage("a").addMessageType(old).addMessageType(message("Fine")).build(),
        file("b.proto").setPackage("b").setOptions(FileOptions.newBuilder().setDeprecated(true))
            .addMessageType(message("InDeprecatedFile")).build(),
        file("c.proto").setPackage("c").setOptions(FileOptions.newBuilder().setDeprecated(true)
            .setJavaMultipleFiles(true)).addMessageType(message("OwnClass")).build()));
    assertTrue(names.message(".a.Old").deprecated());
    assertTrue(names.message(".a.Old.Part").deprecated());
    assertFalse(names.message(".a.Fine").deprecated());
    assertTrue(names.message(".b.InDeprecatedFile").deprecated(), "its file class is deprecated");
    assertFalse(names.message(".c.OwnClass").deprecated(), "protobuf-java deprecates only the file class");
  }

  @Test
  void theTopLevelClassesOfAPackageAreTheFileClassesAndTheUnnestedTypes() {
    ProtoTypeNames names = ProtoTypeNames.of(List.of(
        file("one.proto").setPackage("p").addMessageType(message("Nested")).build(),
        file("two.proto").setPackage("p").setOptions(FileOptions.newBuilder().setJavaMultipleFiles(true))
            .addMessageType(message("Top"))
            .addEnumType(EnumDescriptorProto.newBuilder().setName("Color")).build()));
    assertEquals(java.util.Set.of("One", "Two", "Top", "TopOrBuilder", "Color"), names.topLevelClasses("p"));
  }

  @Test
  void anUnknownMessageTypeIsAnError() {
    ProtoTypeNames names = ProtoTypeNames.of(List.of(file("a.proto").build()));
    assertThrows(GeneratorException.class, () -> names.message(".nowhere.Msg"));
  }
}
