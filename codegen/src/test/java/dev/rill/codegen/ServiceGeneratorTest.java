package dev.rill.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Details of the generated text; the golden files cover the whole of it. */
class ServiceGeneratorTest {

  @Test
  void generatedJavadocWrapsAtSpacesButKeepsInlineTagsWhole() {
    String text = "word ".repeat(16) + "{@link dev.rill.StatusException} and {@code with*} end.";
    List<String> lines = ServiceGenerator.wrap(text);

    assertEquals(text, String.join(" ", lines));
    for (String line : lines) {
      assertTrue(line.length() <= 90, line);
      assertEquals(line.split("\\{@", -1).length - 1, line.split("}", -1).length - 1, "tag split in: " + line);
    }
  }
}
