package dev.rill.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JavaNamesTest {

  @Test
  void rpcNamesBecomeLowerCamelCaseWithoutUnderscores() {
    assertEquals("sayHello", JavaNames.lowerCamel("SayHello"));
    assertEquals("sayHello", JavaNames.lowerCamel("say_hello"));
    assertEquals("sayHello", JavaNames.lowerCamel("_say__hello_"));
    assertEquals("uRLFetch", JavaNames.lowerCamel("URLFetch"));
    assertEquals("get2Things", JavaNames.lowerCamel("get_2_things"));
    assertEquals("_", JavaNames.lowerCamel("_"));
  }

  @Test
  void constantNamesAreUpperSnakeCase() {
    assertEquals("SAY_HELLO", JavaNames.upperSnake("sayHello"));
    assertEquals("GET_URL", JavaNames.upperSnake("getURL"));
    assertEquals("NEW_", JavaNames.upperSnake("new_"));
    assertEquals("V2_API", JavaNames.upperSnake("v2Api"));
  }

  @Test
  void fileNamesBecomeClassNamesTheWayProtobufJavaDoesIt() {
    assertEquals("FooBar", JavaNames.protobufCamelCase("foo_bar"));
    assertEquals("MyApiV2", JavaNames.protobufCamelCase("my-api_v2"));
    assertEquals("A1B2C", JavaNames.protobufCamelCase("a1b2c"));
    assertEquals("Proto3Test", JavaNames.protobufCamelCase("proto3_test"));
    assertEquals("XMLParser", JavaNames.protobufCamelCase("XMLParser"));
  }

  @Test
  void aScopeHandsOutEachNameOnceAndNeverAReservedOne() {
    JavaNames.Scope scope = new JavaNames.Scope(List.of(JavaNames.RESERVED, Set.of("build")));
    assertEquals("new_", scope.claim("new"));
    assertEquals("build_", scope.claim("build"));
    assertEquals("doIt", scope.claim("doIt"));
    assertEquals("doIt_", scope.claim("doIt"));
    assertEquals("doIt__", scope.claim("doIt"));
    assertEquals("free", scope.claim("free", "fallback"));
    assertEquals("fallback", scope.claim("free", "fallback"));
    assertEquals("__", scope.claim("_"));
  }
}
