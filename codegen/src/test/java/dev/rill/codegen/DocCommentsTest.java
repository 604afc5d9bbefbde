package dev.rill.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocCommentsTest {

  @Test
  void nothingInACommentCanEndTheJavadocOrBecomeATagHtmlOrAUnicodeEscape() {
    assertEquals("*&#47; /&#42; &#64;see {&#64;code x} &lt;b&gt; &amp;amp; &#92;u000a",
        DocComments.escape("*/ /* @see {@code x} <b> &amp; \\u000a"));
  }

  @Test
  void nonAsciiBecomesCharacterReferencesAndStrayControlCharactersGo() {
    assertEquals("na&#239;ve &#128640; a\tb\nc", DocComments.escape("naïve \uD83D\uDE80 a\tb\r\nc\u0007"));
  }

  @Test
  void aCommentBecomesAPreBlockWithoutEmptyLinesAroundIt() {
    assertEquals(List.of("<pre>", " First line.", "", " Second.", "</pre>"),
        DocComments.lines("\n First line.\n\n Second.  \n\n"));
    assertEquals(List.of(), DocComments.lines(" \n "));
    assertEquals(List.of(), DocComments.lines(null));
  }

  @Test
  void theLeadingCommentWinsAndTheTrailingOneIsTheFallback() {
    FileDescriptorProto file = FileDescriptorProto.newBuilder()
        .setSourceCodeInfo(SourceCodeInfo.newBuilder()
            .addLocation(SourceCodeInfo.Location.newBuilder().addAllPath(List.of(6, 0))
                .setLeadingComments(" Leading.\n").setTrailingComments(" Trailing.\n")
                .addLeadingDetachedComments(" Detached.\n"))
            .addLocation(SourceCodeInfo.Location.newBuilder().addAllPath(List.of(6, 0, 2, 1))
                .setTrailingComments(" Only trailing.\n")))
        .build();
    DocComments docs = new DocComments(file);

    assertEquals(List.of("<pre>", " Leading.", "</pre>"), docs.service(0));
    assertEquals(List.of("<pre>", " Only trailing.", "</pre>"), docs.method(0, 1));
    assertEquals(List.of(), docs.method(0, 0));
    assertEquals(List.of(), docs.service(1));
  }
}
