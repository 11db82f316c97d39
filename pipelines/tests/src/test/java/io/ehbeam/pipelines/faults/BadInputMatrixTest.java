package io.ehbeam.pipelines.faults;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.pipelines.testing.HubFixture;
import io.ehbeam.pipelines.testing.JobLauncher;
import io.ehbeam.transforms.json.Json;
import io.ehbeam.transforms.testing.ArchiveFiles;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad input, each mixed once into a stream of valid temperature readings, through
 * the relay, the aggregate and the archive (DirectRunner, real broker): each bad record lands in
 * the dead-letter topic once, with its own reason; every valid record passes; in = out + dead
 * letters exactly. A record with a null key is not bad: Event Hubs events without a partition key
 * are normal, and it must pass.
 */
class BadInputMatrixTest {
  static final int VALID = 24;
  static HubFixture hub;
  static String input;
  /** Bad kind -> its record's value; the key is the kind's name. */
  static final Map<String, byte[]> BAD = new LinkedHashMap<>();
  /** Valid readings, one with a null key. */
  static final List<SimpleEntry<String, byte[]>> RECORDS = new ArrayList<>();
  static byte[] OVERSIZED;

  static byte[] reading(int hour, String temperature, String time) {
    return ("{\"latitude\":48.9,\"longitude\":2.35,\"time\":\"" + time + "\",\"temperature_2m\":" + temperature
        + ",\"city\":\"Paris\",\"elevation\":43.0}").getBytes(UTF_8);
  }

  static String hourOf(int h) {
    return String.format("2023-01-01T%02d:00", h);
  }

  @BeforeAll
  static void writeInput() throws Exception {
    BAD.put("not-json", "not json at all".getBytes(UTF_8));
    BAD.put("not-an-object", "[1,2,3]".getBytes(UTF_8));
    BAD.put("missing-field", "{\"latitude\":48.9,\"longitude\":2.35,\"time\":\"2023-01-01T05:00\",\"city\":\"Paris\",\"elevation\":43.0}".getBytes(UTF_8));
    BAD.put("wrong-type", reading(6, "\"warm\"", hourOf(6)));
    BAD.put("time-out-of-range", reading(7, "11.5", "2023-13-45T99:00"));
    ByteArrayOutputStream notUtf8 = new ByteArrayOutputStream();
    notUtf8.write("{\"latitude\":48.9,\"longitude\":2.35,\"time\":\"2023-01-01T08:00\",\"temperature_2m\":9.5,\"city\":\"Par".getBytes(UTF_8));
    notUtf8.write(new byte[] {(byte) 0xff, (byte) 0xfe});
    notUtf8.write("is\",\"elevation\":43.0}".getBytes(UTF_8));
    BAD.put("not-utf-8", notUtf8.toByteArray());
    BAD.put("empty", new byte[0]);
    // Valid, but once stamped it is over the output's limit (Event Hubs: 1 MB); only the relay
    // writes events to a hub, for the others it is a valid reading.
    // The producers' request limit is 1,000,000 bytes (Event Hubs'), events get 1,024 less: this one is
    // 40 bytes under, and stamping adds about 75.
    String head = "{\"latitude\":48.9,\"longitude\":2.35,\"time\":\"2023-01-01T09:00\",\"temperature_2m\":30.5,"
        + "\"city\":\"Paris\",\"elevation\":43.0,\"padding\":\"";
    int size = HubFixture.plain().maxEventBytes() - 40;
    OVERSIZED = (head + "x".repeat(size - head.length() - 2) + "\"}").getBytes(UTF_8);
    assertThat(OVERSIZED).hasSize(size);

    hub = HubFixture.plain();
    input = hub.newTopic("bad-input", 2);
    for (int h = 0; h < VALID; h++) {
      RECORDS.add(new SimpleEntry<>(h == 3 ? null : "Paris", reading(h, "10." + h, hourOf(h))));
    }
    BAD.forEach((kind, value) -> RECORDS.add(new SimpleEntry<>(kind, value)));
    RECORDS.add(new SimpleEntry<>("oversized", OVERSIZED));
    hub.write(input, new ArrayList<>(RECORDS));
  }

  /** The dead letters of a run: kind (the record's key) -> reason. Each kind at most once. */
  static Map<String, String> deadLetters(String topic) {
    Map<String, String> reasons = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> d : hub.readAll(topic)) {
      String kind = new String(d.key(), UTF_8);
      Header reason = d.headers().lastHeader("deadletter.reason");
      assertThat(reasons.put(kind, new String(reason.value(), UTF_8))).as("%s dead-lettered once", kind).isNull();
      byte[] original = kind.equals("oversized") ? OVERSIZED : BAD.get(kind);
      if (d.headers().lastHeader("deadletter.truncated") != null) {
        // Too big to dead-letter whole: its start, and how big it was.
        assertThat(new String(d.headers().lastHeader("deadletter.originalBytes").value(), UTF_8))
            .isEqualTo(Integer.toString(original.length));
        assertThat(Arrays.equals(d.value(), Arrays.copyOf(original, d.value().length))).as("%s: its start", kind).isTrue();
      } else {
        assertThat(Arrays.equals(d.value(), original)).as("%s: the dead letter holds the record's bytes", kind).isTrue();
      }
    }
    return reasons;
  }

  static Jobs.Outcome run(String command, String... args) {
    List<String> all = new ArrayList<>(List.of("--bootstrapServers=" + hub.bootstrapServers(), "--inputTopic=" + input,
        "--consumerGroup=" + input + "-" + command, "--stopAtEnd=true"));
    all.addAll(Arrays.asList(args));
    Jobs.Outcome outcome = JobLauncher.IN_THIS_JVM.run(command, all);
    assertThat(outcome.state()).isEqualTo(PipelineResult.State.DONE);
    assertThat(outcome.counter("read")).isEqualTo(RECORDS.size());
    return outcome;
  }

  @Test
  void theRelayDeadLettersWhatIsNotAJsonObjectAndWhatWouldNotFitTheOutput() {
    String output = input + "-relayed";
    Jobs.Outcome outcome = run("relay", "--outputTopic=" + output, "--deadLetterTopic=" + output + "-dl");
    Map<String, String> reasons = deadLetters(output + "-dl");
    assertThat(reasons).containsOnlyKeys("not-json", "not-an-object", "not-utf-8", "empty", "oversized");
    assertThat(reasons.get("not-json")).startsWith("not valid JSON: Unrecognized token 'not'");
    assertThat(reasons.get("not-an-object")).isEqualTo("not a JSON object: starts with an array");
    assertThat(reasons.get("not-utf-8")).startsWith("not valid JSON: Invalid UTF-8 start byte 0xff");
    assertThat(reasons.get("empty")).isEqualTo("empty record");
    assertThat(reasons.get("oversized")).startsWith("too large: ").contains("bytes once stamped, the output accepts at most");
    // The relay passes any JSON object on: fields it does not read are not its business.
    List<ConsumerRecord<byte[], byte[]>> out = hub.readAll(output);
    List<String> keys = new ArrayList<>();
    out.forEach(r -> keys.add(r.key() == null ? null : new String(r.key(), UTF_8)));
    List<String> expected = new ArrayList<>();
    RECORDS.stream().map(SimpleEntry::getKey).filter(k -> k == null || !reasons.containsKey(k)).forEach(expected::add);
    assertThat(expected).hasSize(VALID + 3).containsOnlyOnce((String) null);
    assertThat(keys).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(outcome.counter("written") + outcome.counter("deadLettered")).isEqualTo(RECORDS.size());
  }

  @Test
  void theAggregateDeadLettersEveryReadingItCannotUse() throws Exception {
    String output = input + "-aggregated";
    Jobs.Outcome outcome = run("aggregate", "--outputTopic=" + output, "--deadLetterTopic=" + output + "-dl", "--console=false");
    Map<String, String> reasons = deadLetters(output + "-dl");
    assertThat(reasons).containsOnlyKeys(BAD.keySet());
    assertThat(reasons.get("not-json")).startsWith("not valid JSON: Unrecognized token 'not'");
    assertThat(reasons.get("not-an-object")).isEqualTo("not a JSON object");
    assertThat(reasons.get("missing-field")).isEqualTo("temperature_2m is missing");
    assertThat(reasons.get("wrong-type")).isEqualTo("temperature_2m is not a number");
    assertThat(reasons.get("time-out-of-range")).isEqualTo("time is '2023-13-45T99:00', not a date-time");
    assertThat(reasons.get("not-utf-8")).startsWith("not valid JSON: Invalid UTF-8 start byte 0xff");
    assertThat(reasons.get("empty")).isEqualTo("empty record");
    assertThat(outcome.counter("aggregated")).isEqualTo(VALID + 1);
    assertThat(outcome.counter("aggregated") + outcome.counter("deadLettered")).isEqualTo(RECORDS.size());
    List<ConsumerRecord<byte[], byte[]>> rows = hub.readAll(output);
    assertThat(rows).hasSize(1);
    JsonNode row = Json.MAPPER.readTree(rows.get(0).value());
    assertThat(row.get("count").asLong()).isEqualTo(VALID + 1);
    assertThat(row.get("max").asDouble()).isEqualTo(30.5);
  }

  @Test
  void theArchiveDeadLettersEveryReadingThatDoesNotFitItsSchema() throws Exception {
    Path dir = Files.createTempDirectory("bad-input-archive");
    Jobs.Outcome outcome = run("archive", "--outputDirectory=" + dir, "--schema=temperature", "--format=json",
        "--deadLetterTopic=" + input + "-archive-dl");
    Map<String, String> reasons = deadLetters(input + "-archive-dl");
    assertThat(reasons).containsOnlyKeys(BAD.keySet());
    assertThat(reasons.get("not-an-object")).isEqualTo("not a JSON object: starts with an array");
    assertThat(reasons.get("missing-field")).isEqualTo("missing required field 'temperature_2m'");
    assertThat(reasons.get("wrong-type")).isEqualTo("field 'temperature_2m' must be a number, got string");
    assertThat(reasons.get("time-out-of-range")).isEqualTo("no event time: field 'time' is '2023-13-45T99:00', not a date-time");
    assertThat(reasons.get("not-utf-8")).startsWith("not valid JSON: Invalid UTF-8 start byte 0xff");
    assertThat(reasons.get("empty")).isEqualTo("empty record");
    assertThat(outcome.counter("archived")).isEqualTo(VALID + 1);
    assertThat(outcome.counter("archived") + outcome.counter("deadLettered")).isEqualTo(RECORDS.size());
    Set<String> archived = new HashSet<>();
    for (Path file : ArchiveFiles.files(dir, ".jsonl")) {
      for (String line : Files.readAllLines(file)) {
        JsonNode e = Json.MAPPER.readTree(line);
        assertThat(archived.add(e.get("partition").asInt() + "/" + e.get("offset").asLong())).isTrue();
        assertThat(e.get("temperature_2m").isNumber()).isTrue();
      }
    }
    assertThat(archived).hasSize(VALID + 1);
  }
}
