package io.ehbeam.transforms.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reading only some fields of an event gives what reading the whole event gives, and the same reasons. */
class JsonTest {
  static final Set<String> READ = Set.of("type", "value", "createdAt", "city");

  @Test
  void theNamedFieldsAsTheWholeTreeHasThem() {
    String event = "{\"eventId\":\"e-1\",\"type\":\"TEMP\",\"complexData\":{\"a\":[1,2,{\"b\":null}],\"c\":\"}\"},"
        + "\"value\":21.123456789012345678901,\"createdAt\":\"2026-12-02T10:00:00Z\",\"city\":null,\"tags\":[\"x\"]}";
    JsonNode whole = Json.object(event.getBytes(UTF_8));
    JsonNode read = Json.fields(event.getBytes(UTF_8), READ);
    assertThat(read.size()).isEqualTo(4);
    for (String name : READ) {
      assertThat(read.get(name)).as(name).isEqualTo(whole.get(name));
    }
    assertThat(read.get("value").asDouble()).isEqualTo(21.123456789012345678901);
    assertThat(read.get("city").isNull()).isTrue();
    assertThat(read.has("complexData")).isFalse();
    assertThat(Json.fields("{\"other\":1}".getBytes(UTF_8), READ).get("value")).isNull();
  }

  @Test
  void whatIsNotOneJsonObjectFailsWithTheSameReason() {
    for (String bad : new String[] {"", "   ", "[1,2]", "\"text\"", "not json", "{\"type\":\"TEMP\",", "{\"type\":}",
        "{\"complexData\":{\"a\":[1,}, \"type\":\"TEMP\"}"}) {
      String expected = reason(() -> Json.object(bad.getBytes(UTF_8)));
      assertThat(expected).as("Json.object of '%s'", bad).isNotNull();
      assertThat(reason(() -> Json.fields(bad.getBytes(UTF_8), READ))).as("Json.fields of '%s'", bad).isEqualTo(expected);
    }
    assertThatThrownBy(() -> Json.fields(null, READ)).hasMessage("empty record");
  }

  private static String reason(Runnable read) {
    try {
      read.run();
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }
}
