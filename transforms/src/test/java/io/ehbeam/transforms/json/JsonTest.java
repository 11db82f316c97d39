package io.ehbeam.transforms.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reading only some fields of an event gives what reading the whole event gives, or a reason for a dead letter. */
class JsonTest {
  static final Set<String> READ = Set.of("type", "value", "createdAt", "city");

  @Test
  void theNamedFieldsAsTheWholeTreeHasThem() throws Exception {
    String event = "{\"eventId\":\"e-1\",\"type\":\"TEMP\",\"complexData\":{\"a\":[1,2,{\"b\":null}],\"c\":\"}\"},"
        + "\"value\":21.123456789012345678901,\"createdAt\":\"2026-12-02T10:00:00Z\",\"city\":null,\"tags\":[\"x\"]}";
    JsonNode whole = Json.DOUBLES.readTree(event);
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
  void whatIsNotOneJsonObjectFailsWithAReasonThatNeverQuotesIt() {
    Map<String, String> reasons = new LinkedHashMap<>();
    reasons.put("", "empty record");
    reasons.put("   ", "not a JSON object");
    reasons.put("[1,2]", "not a JSON object");
    reasons.put("\"text\"", "not a JSON object");
    reasons.put("not json", "not valid JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array,"
        + " Object or token 'null', 'true' or 'false') at byte 4");
    reasons.put("{\"type\":\"TEMP\",", "not valid JSON: Unexpected end-of-input within/between Object entries at byte 15");
    reasons.put("{\"type\":}", "not valid JSON: Unexpected character ('}' (code 125)): expected a value at byte 9");
    // The malformed part is inside a field that is skipped, not read: skipping still finds it.
    reasons.put("{\"complexData\":{\"a\":[1,}, \"type\":\"TEMP\"}",
        "not valid JSON: Unexpected character ('}' (code 125)): expected a value at byte 24");
    reasons.forEach((bad, expected) ->
        assertThat(reason(() -> Json.fields(bad.getBytes(UTF_8), READ))).as("reason for '%s'", bad).isEqualTo(expected));
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
