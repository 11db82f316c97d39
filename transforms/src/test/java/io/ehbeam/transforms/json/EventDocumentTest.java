package io.ehbeam.transforms.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.transforms.json.EventDocument.InvalidEventException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One pass over an event: what a scan learns, and with {@code read} the tree Jackson itself would build. */
class EventDocumentTest {
  static final Set<String> WATCHED = Set.of("year", "offset");

  @Test
  void readBuildsJacksonsOwnTreeAndLearnsWhatAScanLearns() throws Exception {
    List<String> events = List.of(
        "{}",
        " { \"a\" : 1 } \n",
        "{\"eventId\":\"e-1\",\"createdAt\":\"2026-12-02T10:00:00Z\",\"value\":21.123456789012345678901,"
            + "\"complexData\":{\"a\":[1,2,{\"b\":null}],\"c\":\"}\"},\"city\":null,\"tags\":[],\"ok\":true}",
        "{\"createdAt\":1733133600000,\"year\":2020,\"n\":-0.0,\"big\":123456789012345678901234567890}",
        "{\"createdAt\":{\"nested\":1},\"é\":\"ünïcode ✓\",\"offset\":null}",
        "{\"createdAt\":\"first\",\"createdAt\":\"second\"}");
    for (String event : events) {
      byte[] bytes = event.getBytes(UTF_8);
      EventDocument read = EventDocument.read(bytes, WATCHED, "createdAt");
      EventDocument scan = EventDocument.scan(bytes, WATCHED, "createdAt");
      assertThat(read.tree()).as(event).isEqualTo(Json.DOUBLES.readTree(bytes));
      assertThat(scan.tree()).isNull();
      assertThat(read.closingBraceOffset()).as(event).isEqualTo(event.getBytes(UTF_8).length - 1 - trailingBlanks(event));
      assertThat(read.closingBraceOffset()).isEqualTo(scan.closingBraceOffset());
      assertThat(read.isEmpty()).as(event).isEqualTo(event.equals("{}")).isEqualTo(scan.isEmpty());
      assertThat(read.hasAnyWatchedField()).as(event).isEqualTo(event.contains("\"year\"") || event.contains("\"offset\""))
          .isEqualTo(scan.hasAnyWatchedField());
      assertThat(read.capturedValue()).as(event).isEqualTo(scan.capturedValue());
    }
    // The literal text of a scalar, the last of a repeated field, nothing for an object.
    assertThat(EventDocument.read(events.get(3).getBytes(UTF_8), WATCHED, "createdAt").capturedValue()).isEqualTo("1733133600000");
    assertThat(EventDocument.read(events.get(5).getBytes(UTF_8), WATCHED, "createdAt").capturedValue()).isEqualTo("second");
    assertThat(EventDocument.read(events.get(4).getBytes(UTF_8), WATCHED, "createdAt").capturedValue()).isNull();
  }

  @Test
  void readAndScanGiveTheSameReasonsForWhatIsNotOneJsonObject() {
    Map<String, String> reasons = new LinkedHashMap<>();
    reasons.put("", "empty record");
    reasons.put("   ", "not a JSON object: starts with nothing");
    reasons.put("[1,2]", "not a JSON object: starts with an array");
    reasons.put("\"text\"", "not a JSON object: starts with a string");
    reasons.put("{\"type\":\"TEMP\",", "not valid JSON: Unexpected end-of-input within/between Object entries at byte 15");
    reasons.put("{\"type\":}", "not valid JSON: Unexpected character ('}' (code 125)): expected a value at byte 9");
    // Inside a value that read builds as a tree and scan only counts through: the same parser error.
    reasons.put("{\"complexData\":{\"a\":[1,}, \"type\":\"TEMP\"}",
        "not valid JSON: Unexpected character ('}' (code 125)): expected a value at byte 24");
    reasons.put("{\"complexData\":{\"a\":[1,2]", "not valid JSON: Unexpected end-of-input: expected close marker for Object at byte 25");
    reasons.put("{\"a\":1} {\"b\":2}", "not valid JSON: data after the object's end");
    reasons.forEach((bad, expected) -> {
      assertThat(reason(bad, true)).as("read of '%s'", bad).isEqualTo(expected);
      assertThat(reason(bad, false)).as("scan of '%s'", bad).isEqualTo(expected);
    });
  }

  private static int trailingBlanks(String s) {
    return s.length() - s.stripTrailing().length();
  }

  private static String reason(String bad, boolean read) {
    try {
      if (read) {
        EventDocument.read(bad.getBytes(UTF_8), WATCHED, "createdAt");
      } else {
        EventDocument.scan(bad.getBytes(UTF_8), WATCHED, "createdAt");
      }
      return null;
    } catch (InvalidEventException e) {
      return e.getMessage();
    }
  }
}
