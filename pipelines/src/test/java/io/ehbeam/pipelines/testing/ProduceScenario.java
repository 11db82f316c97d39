package io.ehbeam.pipelines.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.pipelines.common.ProjectFiles;
import io.ehbeam.pipelines.produce.ProduceTemperatures;
import io.ehbeam.pipelines.produce.SimulateDevices;
import io.ehbeam.transforms.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The producing jobs end to end on the real broker, on whichever runner the extra arguments choose. */
public final class ProduceScenario {
  private ProduceScenario() {}

  /** The shipped sample in Open-Meteo form, checked against the shipped flattened form. */
  public static void temperatures(String name, String... runnerArgs) {
    HubFixture hub = HubFixture.plain();
    // A hub set to CreateTime keeps the producer's timestamp: the reading's time (on an AppendTime
    // hub, Event Hubs' default, the record carries the enqueue time instead).
    String topic = hub.newCreateTimeTopic(name + "-temperatures", 2);
    List<String> args = new ArrayList<>(List.of(
        "--bootstrapServers=" + hub.bootstrapServers(),
        "--outputTopic=" + topic,
        "--input=" + ProjectFiles.datafile("temperatures/sample/open-meteo"),
        "--locations=" + ProjectFiles.datafile("locations/location_master.json")));
    args.addAll(Arrays.asList(runnerArgs));
    Jobs.Outcome outcome = ProduceTemperatures.run(
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).as(ProduceTemperatures.Options.class));

    // Expected, read independently from the flattened sample: readings with a temperature.
    Set<String> expected = new HashSet<>();
    long withoutTemperature = 0;
    for (JsonNode line : lines(Path.of(ProjectFiles.datafile("temperatures/sample/flat/temperatures.jsonl")))) {
      if (line.has("temperature_2m")) {
        expected.add(line.get("latitude").asDouble() + "|" + line.get("longitude").asDouble() + "|"
            + line.get("time").asText() + "|" + line.get("temperature_2m").asDouble());
      } else {
        withoutTemperature++;
      }
    }
    assertThat(outcome.state()).isEqualTo(PipelineResult.State.DONE);
    assertThat(outcome.counter("written")).isEqualTo(expected.size());
    assertThat(outcome.counter("deadLettered")).isEqualTo(withoutTemperature);

    List<ConsumerRecord<byte[], byte[]>> out = hub.readAll(topic);
    assertThat(out).hasSize(expected.size());
    Set<String> seen = new HashSet<>();
    Map<String, String> cityOfCell = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : out) {
      JsonNode e = read(r.value());
      assertThat(e.fieldNames()).toIterable()
          .containsExactly("latitude", "longitude", "time", "temperature_2m", "city", "elevation");
      String cell = e.get("latitude").asDouble() + "|" + e.get("longitude").asDouble();
      seen.add(cell + "|" + e.get("time").asText() + "|" + e.get("temperature_2m").asDouble());
      assertThat(new String(r.key(), UTF_8)).isEqualTo(e.get("city").asText());
      assertThat(cityOfCell.computeIfAbsent(cell, c -> e.get("city").asText())).isEqualTo(e.get("city").asText());
      assertThat(r.timestamp())
          .isEqualTo(LocalDateTime.parse(e.get("time").asText()).toInstant(ZoneOffset.UTC).toEpochMilli());
    }
    assertThat(seen).isEqualTo(expected);
    assertThat(new HashSet<>(cityOfCell.values()))
        .containsExactlyInAnyOrder("Bangalore", "Spring", "Rome", "Anchorage", "Paris", "London");
    List<ConsumerRecord<byte[], byte[]>> dead = hub.readAll(topic + "-deadletter");
    assertThat(dead).hasSize((int) withoutTemperature);
    assertThat(dead).allSatisfy(d -> assertThat(new String(d.headers().lastHeader("deadletter.reason").value(), UTF_8))
        .startsWith("temperature_2m is null"));
  }

  /** The simulator with a count: exactly that many records, the configured duplicates, keyed by device. */
  public static void devices(String name, int count, String... runnerArgs) {
    HubFixture hub = HubFixture.plain();
    String topic = hub.newTopic(name + "-devices", 3);
    List<String> args = new ArrayList<>(List.of(
        "--bootstrapServers=" + hub.bootstrapServers(), "--outputTopic=" + topic, "--count=" + count,
        "--eventsPerSecond=0", "--duplicateEvery=500", "--devices=100"));
    args.addAll(Arrays.asList(runnerArgs));
    Jobs.Outcome outcome = SimulateDevices.run(
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).as(SimulateDevices.Options.class));
    assertThat(outcome.state()).isEqualTo(PipelineResult.State.DONE);
    assertThat(outcome.counter("written")).isEqualTo(count);
    assertThat(outcome.counter("duplicates")).isEqualTo(count / 500);

    List<ConsumerRecord<byte[], byte[]>> out = hub.readAll(topic);
    assertThat(out).hasSize(count);
    Map<String, Integer> ids = new HashMap<>();
    Set<String> devices = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : out) {
      JsonNode e = read(r.value());
      ids.merge(e.get("eventId").asText(), 1, Integer::sum);
      assertThat(new String(r.key(), UTF_8)).isEqualTo(e.get("deviceId").asText());
      devices.add(e.get("deviceId").asText());
    }
    assertThat(ids.values().stream().filter(n -> n == 2).count()).isEqualTo(count / 500);
    assertThat(ids.values().stream().filter(n -> n > 2).count()).isZero();
    assertThat(devices).hasSize(100);
  }

  static List<JsonNode> lines(Path file) {
    try {
      List<JsonNode> nodes = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          nodes.add(Json.MAPPER.readTree(line));
        }
      }
      return nodes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode read(byte[] value) {
    return RelayScenario.read(value);
  }
}
