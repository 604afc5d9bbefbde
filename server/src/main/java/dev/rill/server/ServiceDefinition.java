package dev.rill.server;

import dev.rill.MethodDescriptor;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A service's name and its methods with their handlers. Immutable; generated service bases build one
 * in {@link BindableService#bindService()}.
 */
public final class ServiceDefinition {
  private final String name;
  private final Map<String, Method<?, ?>> methods;

  private ServiceDefinition(Builder b) {
    this.name = b.name;
    this.methods = Collections.unmodifiableMap(new LinkedHashMap<>(b.methods));
  }

  public static Builder builder(String serviceName) {
    return new Builder(serviceName);
  }

  /** The service's full name, e.g. {@code grpc.testing.TestService}. */
  public String name() {
    return name;
  }

  public Collection<Method<?, ?>> methods() {
    return methods.values();
  }

  /** The method with this simple name ({@code UnaryCall}), or {@code null}. */
  public Method<?, ?> method(String methodName) {
    return methods.get(methodName);
  }

  /** A method's descriptor and handler. */
  public static final class Method<ReqT, RespT> {
    private final MethodDescriptor<ReqT, RespT> descriptor;
    private final ServerCallHandler<ReqT, RespT> handler;

    Method(MethodDescriptor<ReqT, RespT> descriptor, ServerCallHandler<ReqT, RespT> handler) {
      this.descriptor = descriptor;
      this.handler = handler;
    }

    public MethodDescriptor<ReqT, RespT> descriptor() {
      return descriptor;
    }

    public ServerCallHandler<ReqT, RespT> handler() {
      return handler;
    }

    Method<ReqT, RespT> withHandler(ServerCallHandler<ReqT, RespT> newHandler) {
      return new Method<>(descriptor, newHandler);
    }
  }

  /** Builds a {@link ServiceDefinition}. */
  public static final class Builder {
    private final String name;
    private final Map<String, Method<?, ?>> methods = new LinkedHashMap<>();

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "serviceName");
    }

    /** Adds a method; its descriptor must belong to this service and not be added twice. */
    public <ReqT, RespT> Builder addMethod(
        MethodDescriptor<ReqT, RespT> descriptor, ServerCallHandler<ReqT, RespT> handler) {
      if (!descriptor.serviceName().equals(name)) {
        throw new IllegalArgumentException(
            "method " + descriptor.fullMethodName() + " does not belong to service " + name);
      }
      if (methods.putIfAbsent(descriptor.methodName(), new Method<>(descriptor, Objects.requireNonNull(handler)))
          != null) {
        throw new IllegalArgumentException("method " + descriptor.fullMethodName() + " added twice");
      }
      return this;
    }

    public ServiceDefinition build() {
      return new ServiceDefinition(this);
    }
  }

  /** This service with {@code interceptors} around every method; the first interceptor runs first. */
  public ServiceDefinition intercept(ServerInterceptor... interceptors) {
    Builder b = new Builder(name);
    for (Method<?, ?> m : methods.values()) {
      b.methods.put(m.descriptor().methodName(), wrap(m, interceptors));
    }
    return b.build();
  }

  private static <ReqT, RespT> Method<ReqT, RespT> wrap(Method<ReqT, RespT> m, ServerInterceptor[] interceptors) {
    ServerCallHandler<ReqT, RespT> h = m.handler();
    for (int i = interceptors.length - 1; i >= 0; i--) {
      ServerInterceptor interceptor = interceptors[i];
      ServerCallHandler<ReqT, RespT> next = h;
      h = (call, headers) -> interceptor.interceptCall(call, headers, next);
    }
    return m.withHandler(h);
  }
}
