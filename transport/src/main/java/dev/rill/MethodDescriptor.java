package dev.rill;

import java.util.Objects;

/**
 * Describes one RPC method: its full name ({@code package.Service/Method}), kind and marshallers.
 * Immutable; build with {@link #builder()}. Generated stubs hold one per method.
 */
public final class MethodDescriptor<ReqT, RespT> {
  private final String fullMethodName;
  private final String serviceName;
  private final String path;
  private final MethodType type;
  private final Marshaller<ReqT> requestMarshaller;
  private final Marshaller<RespT> responseMarshaller;

  private MethodDescriptor(Builder<ReqT, RespT> b) {
    this.fullMethodName = Objects.requireNonNull(b.fullMethodName, "fullMethodName");
    int slash = fullMethodName.indexOf('/');
    if (slash <= 0 || slash == fullMethodName.length() - 1 || fullMethodName.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException(
          "method name '" + fullMethodName + "': expected 'package.Service/Method'");
    }
    this.serviceName = fullMethodName.substring(0, slash);
    this.path = "/" + fullMethodName;
    this.type = Objects.requireNonNull(b.type, "type");
    this.requestMarshaller = Objects.requireNonNull(b.requestMarshaller, "requestMarshaller");
    this.responseMarshaller = Objects.requireNonNull(b.responseMarshaller, "responseMarshaller");
  }

  public static <ReqT, RespT> Builder<ReqT, RespT> builder() {
    return new Builder<>();
  }

  /** {@code service + "/" + method}, e.g. {@code "grpc.testing.TestService/UnaryCall"}. */
  public static String fullMethodName(String serviceName, String methodName) {
    return serviceName + "/" + methodName;
  }

  /** {@code package.Service/Method}. */
  public String fullMethodName() {
    return fullMethodName;
  }

  /** {@code package.Service}. */
  public String serviceName() {
    return serviceName;
  }

  /** {@code Method}. */
  public String methodName() {
    return fullMethodName.substring(serviceName.length() + 1);
  }

  /** The HTTP/2 {@code :path}: {@code /package.Service/Method}. */
  public String path() {
    return path;
  }

  public MethodType type() {
    return type;
  }

  public Marshaller<ReqT> requestMarshaller() {
    return requestMarshaller;
  }

  public Marshaller<RespT> responseMarshaller() {
    return responseMarshaller;
  }

  @Override
  public String toString() {
    return "MethodDescriptor[" + fullMethodName + ", " + type + "]";
  }

  /** Builds a {@link MethodDescriptor}; every field is required. */
  public static final class Builder<ReqT, RespT> {
    private String fullMethodName;
    private MethodType type;
    private Marshaller<ReqT> requestMarshaller;
    private Marshaller<RespT> responseMarshaller;

    private Builder() {}

    public Builder<ReqT, RespT> fullMethodName(String fullMethodName) {
      this.fullMethodName = fullMethodName;
      return this;
    }

    public Builder<ReqT, RespT> type(MethodType type) {
      this.type = type;
      return this;
    }

    public Builder<ReqT, RespT> requestMarshaller(Marshaller<ReqT> marshaller) {
      this.requestMarshaller = marshaller;
      return this;
    }

    public Builder<ReqT, RespT> responseMarshaller(Marshaller<RespT> marshaller) {
      this.responseMarshaller = marshaller;
      return this;
    }

    public MethodDescriptor<ReqT, RespT> build() {
      return new MethodDescriptor<>(this);
    }
  }
}
