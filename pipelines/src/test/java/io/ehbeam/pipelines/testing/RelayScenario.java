package io.ehbeam.pipelines.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.transforms.json.Json;
import io.ehbeam.transforms.model.DeviceEvent;
import io.ehbeam.transforms.relay.EventStamper;
import java.time.Instant;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The relay end to end on the real broker, on whichever runner the extra arguments choose: N device
 * events and a few malformed records in; exactly N stamped events out, keys and bytes kept, the
 * malformed ones in the dead-letter topic with reasons; counters and committed offsets that match.
 * Each runner's module runs it with its own {@code --runner}.
 */
public final class RelayScenario {
  /** Malformed records and the start of the reason each must be dead-lettered with. */
  public static final Map<String, String> MALFORMED =
      Map.of(
          "not json at all", "not valid JSON",
          "[\"an\",\"array\"]", "not a JSON object: starts with an array",
          "{\"eventId\":\"unclosed\"", "not valid JSON",
          "", "empty record");

  private RelayScenario() {}

  public static void runAndVerify(String name, int events, String... runnerArgs) {
    runAndVerify(name, events, JobLauncher.IN_THIS_JVM, runnerArgs);
  }

  public static void runAndVerify(String name, int events, JobLauncher launcher, String... runnerArgs) {
    HubFixture hub = HubFixture.plain();
    String input = hub.newTopic(name + "-in", 3);
    String output = input.replace("-in-", "-out-");
    String group = input + "-cg";

    List<SimpleEntry<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      DeviceEvent e = DeviceEvent.of(42, i, 7, DeviceEvent.DEFAULT_DEVICE_PREFIX, Instant.parse("2019-05-16T17:16:40Z").plusMillis(i));
      records.add(new SimpleEntry<>(e.deviceId, e.toJson()));
    }
    MALFORMED.keySet().forEach(bad -> records.add(new SimpleEntry<>("bad-device", bad.getBytes(UTF_8))));
    List<HubFixture.Written> written = hub.write(input, new ArrayList<>(records));
    Map<String, HubFixture.Written> inputById = new HashMap<>();
    for (HubFixture.Written w : written.subList(0, events)) {
      inputById.put(eventId(w.value), w);
    }

    List<String> args = new ArrayList<>(List.of(
        "--bootstrapServers=" + hub.bootstrapServers(),
        "--inputTopic=" + input,
        "--outputTopic=" + output,
        "--consumerGroup=" + group,
        "--stopAtEnd=true"));
    args.addAll(Arrays.asList(runnerArgs));
    long before = System.currentTimeMillis();
    Jobs.Outcome outcome = launcher.run("relay", args);
    long after = System.currentTimeMillis();

    assertThat(outcome.state()).isEqualTo(PipelineResult.State.DONE);
    assertThat(outcome.counter("read")).isEqualTo(events + MALFORMED.size());
    assertThat(outcome.counter("written")).isEqualTo(events);
    assertThat(outcome.counter("deadLettered")).isEqualTo(MALFORMED.size());

    List<ConsumerRecord<byte[], byte[]>> out = hub.readAll(output);
    assertThat(out).hasSize(events);
    Map<String, Integer> seen = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : out) {
      JsonNode node = read(r.value());
      String id = node.get("eventId").asText();
      seen.merge(id, 1, Integer::sum);
      HubFixture.Written in = inputById.get(id);
      assertThat(in).as("output event %s was written to the input", id).isNotNull();
      assertThat(new String(r.key(), UTF_8)).isEqualTo(in.key);
      String original = new String(in.value, UTF_8);
      assertThat(new String(r.value(), UTF_8))
          .startsWith(original.substring(0, original.lastIndexOf('}')) + ",\"enqueuedAt\":");
      assertThat(node.get("enqueuedAt").asText()).isEqualTo(EventStamper.format(in.timestamp));
      long processed = Instant.parse(node.get("processedAt").asText()).toEpochMilli();
      assertThat(processed).isGreaterThanOrEqualTo(in.timestamp).isBetween(before, after);
    }
    assertThat(seen).hasSize(events).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));

    List<ConsumerRecord<byte[], byte[]>> dead = hub.readAll(output + "-deadletter");
    assertThat(dead).hasSize(MALFORMED.size());
    for (ConsumerRecord<byte[], byte[]> d : dead) {
      String value = new String(d.value(), UTF_8);
      assertThat(MALFORMED).containsKey(value);
      assertThat(header(d, "deadletter.reason")).startsWith(MALFORMED.get(value));
      assertThat(header(d, "deadletter.topic")).isEqualTo(input);
      assertThat(new String(d.key(), UTF_8)).isEqualTo("bad-device");
    }

    // The group now stands at the end of what was read: a second run finds nothing new.
    assertThat(hub.committed(group, input, 3)).isEqualTo(hub.endOffsets(input));
  }

  static String header(ConsumerRecord<byte[], byte[]> r, String key) {
    Header h = r.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), UTF_8);
  }

  static String eventId(byte[] value) {
    return read(value).get("eventId").asText();
  }

  public static JsonNode read(byte[] value) {
    try {
      return Json.MAPPER.readTree(value);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + new String(value, UTF_8), e);
    }
  }
}
