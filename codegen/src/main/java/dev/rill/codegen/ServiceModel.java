package dev.rill.codegen;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Everything the generated code of one service is named after: its classes, and for each RPC the
 * Java method, descriptor getter and constant names. Names are decided here, once, so that the same
 * RPC has the same Java name in the service base and in both stubs.
 */
final class ServiceModel {
  /** Suffix of the generated outer class: service {@code Greeter} gives {@code GreeterRill}. */
  static final String OUTER_CLASS_SUFFIX = "Rill";

  /** The RPC kinds, named as the constants of {@code dev.rill.MethodType}. */
  enum Kind {
    UNARY, CLIENT_STREAMING, SERVER_STREAMING, BIDI_STREAMING;

    static Kind of(MethodDescriptorProto method) {
      if (method.getClientStreaming()) {
        return method.getServerStreaming() ? BIDI_STREAMING : CLIENT_STREAMING;
      }
      return method.getServerStreaming() ? SERVER_STREAMING : UNARY;
    }

    /** Whether the handler and the async stub take a request message (rather than a stream of them). */
    boolean takesOneRequest() {
      return this == UNARY || this == SERVER_STREAMING;
    }
  }

  /** One RPC method. */
  record Rpc(
      String protoName,
      Kind kind,
      ProtoTypeNames.JavaType request,
      ProtoTypeNames.JavaType response,
      String javaName,
      String getterName,
      String constantName,
      boolean deprecated,
      List<String> doc) {}

  final String protoFile;
  final String fullName;
  final String javaPackage;
  final String outerClass;
  final String implBase;
  final String stub;
  final String blockingStub;
  final boolean deprecated;
  final List<String> doc;
  final List<Rpc> rpcs;
  /** Whether the code refers to a deprecated message class, and so must suppress the warnings. */
  final boolean usesDeprecatedTypes;

  private ServiceModel(FileDescriptorProto file, int index, ProtoTypeNames types, DocComments docs) {
    ServiceDescriptorProto service = file.getService(index);
    this.protoFile = file.getName();
    this.fullName = file.getPackage().isEmpty() ? service.getName() : file.getPackage() + "." + service.getName();
    this.javaPackage = ProtoTypeNames.javaPackage(file);
    this.outerClass = service.getName() + OUTER_CLASS_SUFFIX;
    this.implBase = service.getName() + "ImplBase";
    this.stub = service.getName() + "Stub";
    this.blockingStub = service.getName() + "BlockingStub";
    this.deprecated = service.getOptions().getDeprecated() || file.getOptions().getDeprecated();
    this.doc = docs.service(index);

    if (types.topLevelClasses(javaPackage).contains(outerClass)) {
      throw new GeneratorException(protoFile + ": service " + fullName + " would generate class "
          + qualified(javaPackage, outerClass) + ", but protobuf-java already generates a class of that"
          + " name; rename the service or the clashing message, or set java_outer_classname");
    }

    // Method names share one scope across the base and the stubs; getters and constants have their own.
    JavaNames.Scope methodNames = new JavaNames.Scope(List.of(JavaNames.RESERVED, JavaNames.INHERITED_METHODS));
    JavaNames.Scope getterNames = new JavaNames.Scope(List.of());
    JavaNames.Scope constantNames = new JavaNames.Scope(List.of(Set.of("SERVICE_NAME")));
    List<Rpc> rpcs = new ArrayList<>();
    boolean usesDeprecated = false;
    for (int i = 0; i < service.getMethodCount(); i++) {
      MethodDescriptorProto method = service.getMethod(i);
      ProtoTypeNames.JavaType request = usableType(types, method.getInputType(), method);
      ProtoTypeNames.JavaType response = usableType(types, method.getOutputType(), method);
      usesDeprecated |= request.deprecated() || response.deprecated();
      String camel = JavaNames.lowerCamel(method.getName());
      String javaName = methodNames.claim(camel);
      // Getters and constants follow the plain name (getNewMethod, not getNew_Method) unless an
      // earlier RPC took it; then they follow the Java method name, which is unique.
      rpcs.add(new Rpc(
          method.getName(),
          Kind.of(method),
          request,
          response,
          javaName,
          getterNames.claim(getterName(camel), getterName(javaName)),
          constantNames.claim(constantName(camel), constantName(javaName)),
          method.getOptions().getDeprecated(),
          docs.method(index, i)));
    }
    this.rpcs = List.copyOf(rpcs);
    this.usesDeprecatedTypes = usesDeprecated;
  }

  /** The model of service number {@code index} of {@code file}. */
  static ServiceModel of(FileDescriptorProto file, int index, ProtoTypeNames types, DocComments docs) {
    return new ServiceModel(file, index, types, docs);
  }

  /** The generated file's path, relative to the output directory. */
  String outputPath() {
    return (javaPackage.isEmpty() ? "" : javaPackage.replace('.', '/') + "/") + outerClass + ".java";
  }

  private ProtoTypeNames.JavaType usableType(ProtoTypeNames types, String protoType, MethodDescriptorProto method) {
    ProtoTypeNames.JavaType type = types.message(protoType);
    // Java cannot name a class of the unnamed package from a named one.
    if (type.javaPackage().isEmpty() && !javaPackage.isEmpty()) {
      throw new GeneratorException(protoFile + ": method " + fullName + "/" + method.getName() + " uses "
          + type.protoName() + ", whose Java class is in the unnamed package and cannot be used from package "
          + javaPackage + "; give its file a package or a java_package option");
    }
    // Inside the generated class, its own nested classes win over a message class of the same simple
    // name, which happens only for messages of the unnamed package.
    String firstName = type.canonicalName().split("\\.", 2)[0];
    if (Set.of(outerClass, implBase, stub, blockingStub).contains(firstName)) {
      throw new GeneratorException(protoFile + ": method " + fullName + "/" + method.getName() + " uses "
          + type.protoName() + ", whose Java class " + firstName + " has the name of a class generated for"
          + " service " + fullName + "; rename the message or give its file a package");
    }
    return type;
  }

  private static String getterName(String methodName) {
    return "get" + JavaNames.upperFirst(methodName) + "Method";
  }

  private static String constantName(String methodName) {
    return JavaNames.upperSnake(methodName) + "_METHOD";
  }

  private static String qualified(String javaPackage, String name) {
    return javaPackage.isEmpty() ? name : javaPackage + "." + name;
  }
}
