package io.ehbeam.transforms.relay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ehbeam.transforms.deadletter.DeadLetter;
import io.ehbeam.transforms.io.ReadFromHub;
import io.ehbeam.transforms.json.Json;
import io.ehbeam.transforms.testing.Records;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.Rule;
import org.junit.Test;

public class StampEventsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  static final long T0 = 1_700_000_000_000L;

  @Test
  public void stampsEventsKeepsKeysAndBytesAndDeadLettersTheRest() {
    long startedAt = System.currentTimeMillis();
    String big = "{\"pad\":\"" + "x".repeat(300) + "\"}";
    List<KafkaRecord<byte[], byte[]>> input = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      input.add(Records.record(i, T0 + i, "device-" + (i % 5), "{\"eventId\":\"e" + i + "\",\"value\":" + i + ".50}"));
    }
    input.add(Records.record(50, T0, "device-1", "not json"));
    input.add(Records.record(51, T0, null, "[1]"));
    input.add(Records.record(52, T0, "device-2", big));
    input.add(Records.record(53, T0, "device-3", null));

    PCollectionTuple out =
        pipeline
            .apply(Create.of(input).withCoder(ReadFromHub.coder()))
            .apply(new StampEvents(200));

    PAssert.that(out.get(StampEvents.EVENTS))
        .satisfies(
            events -> {
              Map<String, KV<byte[], byte[]>> byId = new TreeMap<>();
              for (KV<byte[], byte[]> e : events) {
                try {
                  byId.put(Json.MAPPER.readTree(e.getValue()).get("eventId").asText(), e);
                } catch (Exception ex) {
                  throw new AssertionError(ex);
                }
              }
              assertThat(byId).hasSize(50);
              for (int i = 0; i < 50; i++) {
                KV<byte[], byte[]> e = byId.get("e" + i);
                assertThat(new String(e.getKey(), UTF_8)).isEqualTo("device-" + (i % 5));
                String original = "{\"eventId\":\"e" + i + "\",\"value\":" + i + ".50";
                String text = new String(e.getValue(), UTF_8);
                assertThat(text).startsWith(original + ",\"enqueuedAt\":");
                JsonNode node = read(e.getValue());
                assertThat(node.get("enqueuedAt").asText()).isEqualTo(EventStamper.format(T0 + i));
                long processed = Instant.parse(node.get("processedAt").asText()).toEpochMilli();
                assertThat(processed).isBetween(startedAt, System.currentTimeMillis());
                assertThat(node.size()).isEqualTo(4);
              }
              return null;
            });

    PAssert.that(out.get(StampEvents.DEAD_LETTERS))
        .satisfies(
            letters -> {
              Map<Long, DeadLetter> byOffset = new TreeMap<>();
              letters.forEach(d -> byOffset.put(d.sourceOffset(), d));
              assertThat(byOffset.keySet()).containsExactly(50L, 51L, 52L, 53L);
              assertThat(byOffset.get(50L).reason()).startsWith("not valid JSON");
              assertThat(new String(byOffset.get(50L).value(), UTF_8)).isEqualTo("not json");
              assertThat(new String(byOffset.get(50L).key(), UTF_8)).isEqualTo("device-1");
              assertThat(byOffset.get(51L).reason()).isEqualTo("not a JSON object: starts with an array");
              assertThat(byOffset.get(51L).key()).isNull();
              assertThat(byOffset.get(52L).reason()).startsWith("too large: ").endsWith("at most 200");
              assertThat(new String(byOffset.get(52L).value(), UTF_8)).isEqualTo(big);
              assertThat(byOffset.get(53L).reason()).isEqualTo("empty record");
              for (DeadLetter d : letters) {
                assertThat(d.sourceTopic()).isEqualTo("in");
                assertThat(d.step()).isEqualTo("StampEvents");
                assertThat(d.sourceTimestampMillis()).isEqualTo(T0);
              }
              return null;
            });

    pipeline.run().waitUntilFinish();
  }

  @Test
  public void routedStampingPutsEventsAndDeadLettersOnOneOutputForTheirTopics() {
    List<KafkaRecord<byte[], byte[]>> input = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      input.add(Records.record(i, T0 + i, "device-" + (i % 3), "{\"eventId\":\"e" + i + "\"}"));
    }
    input.add(Records.record(20, T0, "device-1", "not json"));
    input.add(Records.record(21, T0, "device-2", "{\"pad\":\"" + "x".repeat(300) + "\"}"));

    PCollection<ProducerRecord<byte[], byte[]>> out =
        pipeline
            .apply(Create.of(input).withCoder(ReadFromHub.coder()))
            .apply(StampEvents.routed(200, "out", "out-deadletter"));

    PAssert.that(out).satisfies(records -> {
      Map<String, ProducerRecord<byte[], byte[]>> events = new TreeMap<>();
      Map<String, ProducerRecord<byte[], byte[]>> deadLetters = new TreeMap<>();
      for (ProducerRecord<byte[], byte[]> r : records) {
        if (r.topic().equals("out")) {
          events.put(read(r.value()).get("eventId").asText(), r);
        } else {
          assertThat(r.topic()).isEqualTo("out-deadletter");
          deadLetters.put(header(r, "deadletter.offset"), r);
        }
      }
      assertThat(events).hasSize(20);
      for (int i = 0; i < 20; i++) {
        ProducerRecord<byte[], byte[]> e = events.get("e" + i);
        assertThat(new String(e.key(), UTF_8)).isEqualTo("device-" + (i % 3));
        assertThat(read(e.value()).get("enqueuedAt").asText()).isEqualTo(EventStamper.format(T0 + i));
      }
      assertThat(deadLetters.keySet()).containsExactly("20", "21");
      assertThat(header(deadLetters.get("20"), "deadletter.reason")).startsWith("not valid JSON");
      assertThat(new String(deadLetters.get("20").value(), UTF_8)).isEqualTo("not json");
      assertThat(header(deadLetters.get("21"), "deadletter.reason")).startsWith("too large: ");
      assertThat(header(deadLetters.get("21"), "deadletter.step")).isEqualTo("StampEvents");
      return null;
    });

    pipeline.run().waitUntilFinish();
  }

  private static String header(ProducerRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), UTF_8);
  }

  private static JsonNode read(byte[] bytes) {
    try {
      return Json.MAPPER.readTree(bytes);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
