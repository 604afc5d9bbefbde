package dev.rill.codegen;

/** A problem with the input that the user must fix; reported to protoc as the response's error. */
final class GeneratorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  GeneratorException(String message) {
    super(message);
  }
}
