package dev.rill.codegen;

import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.Edition;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FeatureSet;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.JavaFeaturesProto;
import com.google.protobuf.JavaFeaturesProto.JavaFeatures;
import com.google.protobuf.JavaFeaturesProto.JavaFeatures.NestInFileClassFeature.NestInFileClass;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Java classes protobuf-java generates for the messages of a set of .proto files, named exactly as
 * protoc's Java generator names them, so that generated stubs can refer to them.
 *
 * <p>The rules, for a message {@code Outer.Inner} in package {@code pkg} of file {@code a/my_file.proto}:
 *
 * <ul>
 *   <li>Java package: the {@code java_package} option, else the proto package, else the unnamed
 *       package.
 *   <li>File ("outer") class: the {@code java_outer_classname} option; else the file's base name in
 *       camel case ({@code MyFile}). Before edition 2024, {@code OuterClass} is appended when a
 *       message, enum or service anywhere in the file has exactly that name; from edition 2024 on,
 *       {@code Proto} is always appended instead.
 *   <li>A top-level message either gets its own class ({@code javaPkg.Outer}) or is nested in the file
 *       class ({@code javaPkg.MyFile.Outer}). Before edition 2024 {@code java_multiple_files} decides
 *       for the whole file (nesting is the default); from 2024 on, the {@code pb.java}
 *       {@code nest_in_file_class} feature of each top-level type decides, and the default is not to
 *       nest. Nested messages always live inside their parent's class.
 * </ul>
 *
 * <p>Type names are the fully-qualified proto names that method descriptors use, with or without the
 * leading dot. Files must be parsed with {@link #EXTENSIONS} so that Java features are readable.
 */
final class ProtoTypeNames {
  /** Registers the {@code pb.java} features; files must be parsed with it for them to be read. */
  static final ExtensionRegistry EXTENSIONS = newExtensions();

  /** A message's Java class as generated code refers to it. */
  record JavaType(String protoName, String canonicalName, String javaPackage, boolean deprecated) {}

  private final Map<String, JavaType> messages = new HashMap<>();
  private final Map<String, Set<String>> topLevelClassesByPackage = new HashMap<>();

  private ProtoTypeNames() {}

  /** Indexes the messages of {@code files}, which must include every file the services refer to. */
  static ProtoTypeNames of(List<FileDescriptorProto> files) {
    ProtoTypeNames names = new ProtoTypeNames();
    for (FileDescriptorProto file : files) {
      names.index(file);
    }
    return names;
  }

  /** The message named {@code protoTypeName} ({@code .pkg.Msg} or {@code pkg.Msg}). */
  JavaType message(String protoTypeName) {
    String key = protoTypeName.startsWith(".") ? protoTypeName.substring(1) : protoTypeName;
    JavaType type = messages.get(key);
    if (type == null) {
      throw new GeneratorException("message type " + key + " is not defined in the request's files");
    }
    return type;
  }

  /** The names of the top-level Java classes protobuf-java generates into {@code javaPackage}. */
  Set<String> topLevelClasses(String javaPackage) {
    return topLevelClassesByPackage.getOrDefault(javaPackage, Set.of());
  }

  /** The Java package of {@code file}'s generated classes; empty for the unnamed package. */
  static String javaPackage(FileDescriptorProto file) {
    return file.getOptions().hasJavaPackage() ? file.getOptions().getJavaPackage() : file.getPackage();
  }

  /** The simple name of {@code file}'s outer class. */
  static String outerClassName(FileDescriptorProto file) {
    if (file.getOptions().hasJavaOuterClassname()) {
      return file.getOptions().getJavaOuterClassname();
    }
    String name = file.getName();
    String base = name.substring(name.lastIndexOf('/') + 1);
    if (base.endsWith(".protodevel")) {
      base = base.substring(0, base.length() - ".protodevel".length());
    } else if (base.endsWith(".proto")) {
      base = base.substring(0, base.length() - ".proto".length());
    }
    String className = JavaNames.protobufCamelCase(base);
    if (isEdition2024OrLater(file)) {
      return className + "Proto";
    }
    return declaresTypeNamed(file, className) ? className + "OuterClass" : className;
  }

  /** The edition of {@code file}, with proto2 and proto3 syntax mapped to their pseudo-editions. */
  static Edition edition(FileDescriptorProto file) {
    return switch (file.getSyntax()) {
      case "editions" -> file.getEdition();
      case "proto3" -> Edition.EDITION_PROTO3;
      default -> Edition.EDITION_PROTO2; // "proto2", or empty as protoc writes it for proto2
    };
  }

  private static boolean isEdition2024OrLater(FileDescriptorProto file) {
    return edition(file).getNumber() >= Edition.EDITION_2024_VALUE;
  }

  /** protobuf-java's conflict check: any message (at any depth), enum or service with that exact name. */
  private static boolean declaresTypeNamed(FileDescriptorProto file, String className) {
    for (EnumDescriptorProto e : file.getEnumTypeList()) {
      if (e.getName().equals(className)) {
        return true;
      }
    }
    for (ServiceDescriptorProto s : file.getServiceList()) {
      if (s.getName().equals(className)) {
        return true;
      }
    }
    for (DescriptorProto m : file.getMessageTypeList()) {
      if (declaresTypeNamed(m, className)) {
        return true;
      }
    }
    return false;
  }

  private static boolean declaresTypeNamed(DescriptorProto message, String className) {
    if (message.getName().equals(className)) {
      return true;
    }
    for (DescriptorProto nested : message.getNestedTypeList()) {
      if (declaresTypeNamed(nested, className)) {
        return true;
      }
    }
    for (EnumDescriptorProto e : message.getEnumTypeList()) {
      if (e.getName().equals(className)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a top-level type with {@code features} lives inside the file class. */
  private static boolean nestedInFileClass(FileDescriptorProto file, FeatureSet features) {
    if (!isEdition2024OrLater(file)) {
      return !file.getOptions().getJavaMultipleFiles();
    }
    // protoc rejects the feature on files and nested types, so the type's own setting is the only one.
    // The extension is named java_ because protobuf-java escapes "java" as a field name.
    JavaFeatures java = features.getExtension(JavaFeaturesProto.java_);
    NestInFileClass nest = java.hasNestInFileClass() ? java.getNestInFileClass() : NestInFileClass.NO;
    return nest == NestInFileClass.YES;
  }

  private void index(FileDescriptorProto file) {
    String javaPackage = javaPackage(file);
    String outer = outerClassName(file);
    boolean fileDeprecated = file.getOptions().getDeprecated();
    Set<String> topLevel = topLevelClassesByPackage.computeIfAbsent(javaPackage, p -> new HashSet<>());
    topLevel.add(outer);
    String protoPrefix = file.getPackage().isEmpty() ? "" : file.getPackage() + ".";
    for (DescriptorProto message : file.getMessageTypeList()) {
      boolean nested = nestedInFileClass(file, message.getOptions().getFeatures());
      String javaPrefix = qualify(javaPackage, nested ? outer : "");
      if (!nested) {
        topLevel.add(message.getName());
        topLevel.add(message.getName() + "OrBuilder");
      }
      index(message, protoPrefix, javaPrefix, javaPackage, nested && fileDeprecated);
    }
    for (EnumDescriptorProto e : file.getEnumTypeList()) {
      if (!nestedInFileClass(file, e.getOptions().getFeatures())) {
        topLevel.add(e.getName());
      }
    }
  }

  private void index(DescriptorProto message, String protoPrefix, String javaPrefix, String javaPackage,
      boolean enclosingDeprecated) {
    String protoName = protoPrefix + message.getName();
    String javaName = qualify(javaPrefix, message.getName());
    boolean deprecated = enclosingDeprecated || message.getOptions().getDeprecated();
    messages.put(protoName, new JavaType(protoName, javaName, javaPackage, deprecated));
    for (DescriptorProto nested : message.getNestedTypeList()) {
      index(nested, protoName + ".", javaName, javaPackage, deprecated);
    }
  }

  private static ExtensionRegistry newExtensions() {
    // descriptor.proto's classes first: when JavaFeaturesProto is the first of the two to initialize,
    // protobuf-java 4.33 fails its own class-initialization cycle ("getDescriptor() called before
    // internalInit()") and leaves both classes unusable for the life of the JVM.
    DescriptorProtos.getDescriptor();
    ExtensionRegistry registry = ExtensionRegistry.newInstance();
    JavaFeaturesProto.registerAllExtensions(registry);
    return registry.getUnmodifiable();
  }

  private static String qualify(String prefix, String name) {
    if (prefix.isEmpty()) {
      return name;
    }
    return name.isEmpty() ? prefix : prefix + "." + name;
  }
}
