package io.ehbeam.transforms.relay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ehbeam.transforms.json.EventDocument.InvalidEventException;
import io.ehbeam.transforms.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventStamperTest {
  static final long ENQUEUED = 1_558_026_999_123L; // 2019-05-16T17:16:39.123Z
  static final long PROCESSED = 1_558_027_000_004L; // 2019-05-16T17:16:40.004Z

  @Test
  void formatsInstantsAsItsFormatterDoes() {
    java.util.Random random = new java.util.Random(7);
    long first = java.time.Instant.parse("0001-01-01T00:00:00Z").toEpochMilli();
    long last = java.time.Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
    java.util.List<Long> instants = new java.util.ArrayList<>(java.util.List.of(0L, -1L, 1L, first, last, first - 1, last + 1,
        java.time.Instant.parse("2024-02-29T23:59:59.999Z").toEpochMilli()));
    for (int i = 0; i < 20_000; i++) {
      instants.add(first + (long) (random.nextDouble() * (last - first)));
    }
    for (long millis : instants) {
      assertThat(EventStamper.format(millis)).as("%d", millis)
          .isEqualTo(EventStamper.TIMESTAMP.format(java.time.Instant.ofEpochMilli(millis)));
    }
  }

  @Test
  void splicesBothStampsBeforeTheClosingBraceKeepingEveryOtherByte() throws Exception {
    String original =
        "{ \"eventId\": \"b81d241f\", \"complexData\": {\"moreData0\": 57.739726013343247},"
            + " \"value\": 49.02278128887753, \"deviceId\": \"contoso://device-id-154\" }\n";
    byte[] stamped = EventStamper.stamp(original.getBytes(UTF_8), ENQUEUED, PROCESSED, null).value();
    String text = new String(stamped, UTF_8);
    int close = original.lastIndexOf('}');
    assertThat(text)
        .isEqualTo(original.substring(0, close)
            + ",\"enqueuedAt\":\"2019-05-16T17:16:39.123Z\",\"processedAt\":\"2019-05-16T17:16:40.004Z\""
            + original.substring(close));
    // digits beyond double precision are kept as they were
    assertThat(text).contains("57.739726013343247");
    JsonNode node = Json.MAPPER.readTree(stamped);
    assertThat(node.get("enqueuedAt").asText()).isEqualTo("2019-05-16T17:16:39.123Z");
  }

  @Test
  void emptyObjectGetsNoLeadingComma() throws Exception {
    byte[] stamped = EventStamper.stamp("{}".getBytes(UTF_8), 0L, 1L, null).value();
    assertThat(new String(stamped, UTF_8))
        .isEqualTo("{\"enqueuedAt\":\"1970-01-01T00:00:00.000Z\",\"processedAt\":\"1970-01-01T00:00:00.001Z\"}");
  }

  @Test
  void nestedStampFieldsDoNotCountAndTopLevelOnesAreReplacedNotRepeated() throws Exception {
    byte[] nested = "{\"inner\":{\"enqueuedAt\":\"x\"},\"a\":[1,{\"b\":2}]}".getBytes(UTF_8);
    String out = new String(EventStamper.stamp(nested, ENQUEUED, PROCESSED, null).value(), UTF_8);
    assertThat(out).startsWith("{\"inner\":{\"enqueuedAt\":\"x\"},\"a\":[1,{\"b\":2}],\"enqueuedAt\"");

    byte[] relayedTwice = ("{\"id\":1,\"enqueuedAt\":\"old\",\"processedAt\":\"old\"}").getBytes(UTF_8);
    JsonNode node = Json.MAPPER.readTree(EventStamper.stamp(relayedTwice, ENQUEUED, PROCESSED, null).value());
    assertThat(node.size()).isEqualTo(3);
    assertThat(node.get("enqueuedAt").asText()).isEqualTo("2019-05-16T17:16:39.123Z");
    assertThat(node.get("processedAt").asText()).isEqualTo("2019-05-16T17:16:40.004Z");
  }

  @Test
  void capturesATopLevelField() throws Exception {
    byte[] event = "{\"x\":{\"eventId\":\"nested\"},\"eventId\":\"top\"}".getBytes(UTF_8);
    assertThat(EventStamper.stamp(event, 0, 0, "eventId").captured()).isEqualTo("top");
    assertThat(EventStamper.stamp("{\"eventId\":42}".getBytes(UTF_8), 0, 0, "eventId").captured()).isEqualTo("42");
    assertThat(EventStamper.stamp("{\"eventId\":[1]}".getBytes(UTF_8), 0, 0, "eventId").captured()).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "plain text       | hello world            | not valid JSON",
        "array            | [1,2]                  | not a JSON object: starts with an array",
        "string           | \"text\"               | not a JSON object: starts with a string",
        "number           | 42                     | not a JSON object: starts with a number",
        "unclosed         | {\"a\":1               | not valid JSON",
        "two objects      | {\"a\":1}{\"b\":2}     | data after the object's end",
        "bad field        | {a:1}                  | not valid JSON",
      })
  void refusesWhatIsNotOneJsonObject(String name, String input, String reason) {
    assertThatThrownBy(() -> EventStamper.stamp(input.getBytes(UTF_8), 0, 0, null))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void refusesEmptyAndNullRecordsAndInvalidUtf8() {
    assertThatThrownBy(() -> EventStamper.stamp(new byte[0], 0, 0, null)).hasMessage("empty record");
    assertThatThrownBy(() -> EventStamper.stamp(null, 0, 0, null)).hasMessage("empty record");
    byte[] latin1 = "{\"city\":\"S\u00e3o Paulo\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> EventStamper.stamp(latin1, 0, 0, null))
        .hasMessageContaining("not valid JSON")
        .hasMessageContaining("UTF-8");
  }

  @Test
  void errorMessagesNeverQuoteTheEvent() {
    String secretish = "{\"password\": \"hunter2\", oops}";
    assertThatThrownBy(() -> EventStamper.stamp(secretish.getBytes(UTF_8), 0, 0, null))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
  }
}
