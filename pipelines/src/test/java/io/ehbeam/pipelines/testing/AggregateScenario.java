package io.ehbeam.pipelines.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.ehbeam.pipelines.aggregate.AggregatePipeline;
import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.pipelines.common.ProjectFiles;
import io.ehbeam.pipelines.produce.ProduceTemperatures;
import io.ehbeam.transforms.model.SyntheticTemperatures;
import io.ehbeam.transforms.model.LocationMaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A full generated year of six cities replayed with produce-temperatures, then aggregated per
 * month with --stopAtEnd; every final row (to the hub and to the files) is compared with statistics
 * computed here, independently, from the generated flat file.
 */
public final class AggregateScenario {
  private AggregateScenario() {}

  public static void fullYear(String name, String... runnerArgs) {
    fullYear(name, JobLauncher.IN_THIS_JVM, runnerArgs);
  }

  public static void fullYear(String name, JobLauncher launcher, String... runnerArgs) {
    fullYear(name, launcher, true, runnerArgs);
  }

  /**
   * The full year on an AppendTime hub only (Event Hubs' default): for the cluster runs, whose
   * runners the in-process tests already run on both kinds of hub.
   */
  public static void fullYearOnAnAppendTimeHub(String name, JobLauncher launcher, String... runnerArgs) {
    fullYear(name, launcher, false, runnerArgs);
  }

  private static void fullYear(String name, JobLauncher launcher, boolean alsoCreateTime, String... runnerArgs) {
    try {
      Path dir = Files.createTempDirectory("ehbeam-year-");
      LocationMaster master = LocationMaster.read(Path.of(ProjectFiles.datafile("locations/location_master.json")));
      SyntheticTemperatures.write(master, 2023, 365, 2023, dir);
      Path flat = dir.resolve("flat/temperatures.jsonl");

      // Expected, straight from the file: per cell and month, count, min, max, sum.
      Map<String, double[]> expected = new HashMap<>();
      for (JsonNode line : ProduceScenario.lines(flat)) {
        if (!line.has("temperature_2m")) {
          continue;
        }
        String month = line.get("time").asText().substring(0, 7);
        String key = line.get("latitude").asDouble() + "|" + line.get("longitude").asDouble() + "|" + month;
        accumulate(expected, key, line.get("temperature_2m").asDouble());
      }
      assertThat(expected).hasSize(6 * 12);

      // The same year into a hub that stamps enqueue time (Event Hubs' default) and one set to
      // CreateTime: the event's own time makes both give the same rows.
      HubFixture hub = HubFixture.plain();
      List<JsonNode> appendTimeRows = replayAndAggregate(hub, hub.newAppendTimeTopic(name + "-year-append", 3), flat,
          dir.resolve("append"), expected, launcher, runnerArgs);
      if (!alsoCreateTime) {
        return;
      }
      List<JsonNode> createTimeRows = replayAndAggregate(hub, hub.newCreateTimeTopic(name + "-year-create", 3), flat,
          dir.resolve("create"), expected, launcher, runnerArgs);
      assertSameRows(appendTimeRows, createTimeRows);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Replays the generated file into {@code readings} with produce-temperatures and aggregates it
   * with --stopAtEnd; checks the rows from the hub, the JSON file and the Parquet file against
   * {@code expected}; returns the hub's rows.
   */
  static List<JsonNode> replayAndAggregate(HubFixture hub, String readings, Path flat, Path dir,
      Map<String, double[]> expected, JobLauncher launcher, String... runnerArgs) throws IOException {
    String aggregates = readings + "-monthly";
    List<String> produce = new ArrayList<>(List.of("--bootstrapServers=" + hub.bootstrapServers(),
        "--outputTopic=" + readings, "--input=" + flat, "--partitions=3"));
    produce.addAll(Arrays.asList(runnerArgs));
    Jobs.Outcome produced = launcher.run("produce-temperatures", produce);
    assertThat(produced.state()).isEqualTo(PipelineResult.State.DONE);

    Path files = dir.resolve("aggregates");
    List<String> aggregate = new ArrayList<>(List.of("--bootstrapServers=" + hub.bootstrapServers(),
        "--inputTopic=" + readings, "--outputTopic=" + aggregates, "--consumerGroup=" + readings + "-cg",
        "--stopAtEnd=true", "--console=false", "--outputDirectory=" + files, "--format=json,parquet"));
    aggregate.addAll(Arrays.asList(runnerArgs));
    Jobs.Outcome outcome = launcher.run("aggregate", aggregate);
    assertThat(outcome.state()).isEqualTo(PipelineResult.State.DONE);
    assertThat(outcome.counter("aggregated")).isEqualTo(produced.counter("written"));

    List<JsonNode> hubRows = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : hub.readAll(aggregates)) {
      hubRows.add(RelayScenario.read(r.value()));
    }
    List<JsonNode> jsonRows = new ArrayList<>();
    List<JsonNode> parquetRows = new ArrayList<>();
    try (Stream<Path> written = Files.list(files)) {
      for (Path f : written.filter(Files::isRegularFile).toList()) {
        if (f.toString().endsWith(".json")) {
          jsonRows.addAll(ProduceScenario.lines(f));
        } else if (f.toString().endsWith(".parquet")) {
          parquetRows.addAll(readParquet(f));
        }
      }
    }
    verify(hubRows, expected);
    verify(jsonRows, expected);
    verify(parquetRows, expected);
    return hubRows;
  }

  /**
   * Two runs' rows are the same: every field equal, but the mean only to 1e-9 (its sum is added up
   * in whatever order the runner combines partial results).
   */
  static void assertSameRows(List<JsonNode> rows, List<JsonNode> others) {
    assertThat(withoutMean(rows)).containsExactlyInAnyOrderElementsOf(withoutMean(others));
    Map<String, Double> means = new HashMap<>();
    rows.forEach(r -> means.put(withoutMean(List.of(r)).get(0), r.get("mean").asDouble()));
    for (JsonNode other : others) {
      assertThat(other.get("mean").asDouble()).isCloseTo(means.get(withoutMean(List.of(other)).get(0)), within(1e-9));
    }
  }

  private static List<String> withoutMean(List<JsonNode> rows) {
    return rows.stream().map(r -> {
      com.fasterxml.jackson.databind.node.ObjectNode copy = r.deepCopy();
      copy.remove("mean");
      return copy.toString();
    }).toList();
  }

  /**
   * The devices preset on a simulator stream: the expected rows are computed from the records the
   * simulator wrote (type, minute of the event's createdAt, value, device).
   */
  public static void devices(String name, String... runnerArgs) {
    HubFixture hub = HubFixture.plain();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String events = name + "-devices-" + suffix;
    String perMinute = name + "-per-minute-" + suffix;
    List<String> simulate = new ArrayList<>(List.of("--bootstrapServers=" + hub.bootstrapServers(),
        "--outputTopic=" + events, "--count=4000", "--eventsPerSecond=0", "--devices=40"));
    simulate.addAll(Arrays.asList(runnerArgs));
    io.ehbeam.pipelines.produce.SimulateDevices.run(PipelineOptionsFactory.fromArgs(simulate.toArray(new String[0]))
        .as(io.ehbeam.pipelines.produce.SimulateDevices.Options.class));

    Map<String, double[]> expected = new HashMap<>();
    Map<String, java.util.Set<String>> devices = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : hub.readAll(events)) {
      JsonNode e = RelayScenario.read(r.value());
      String minute = java.time.Instant.parse(e.get("createdAt").asText()).truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString();
      String key = e.get("type").asText() + "|" + minute;
      accumulate(expected, key, e.get("value").asDouble());
      devices.computeIfAbsent(key, k -> new java.util.HashSet<>()).add(e.get("deviceId").asText());
    }

    List<String> aggregate = new ArrayList<>(List.of("--bootstrapServers=" + hub.bootstrapServers(),
        "--preset=devices", "--inputTopic=" + events, "--outputTopic=" + perMinute, "--stopAtEnd=true", "--console=false"));
    aggregate.addAll(Arrays.asList(runnerArgs));
    Jobs.Outcome outcome = AggregatePipeline.run(
        PipelineOptionsFactory.fromArgs(aggregate.toArray(new String[0])).as(AggregatePipeline.Options.class));
    assertThat(outcome.counter("aggregated")).isEqualTo(4000);
    List<ConsumerRecord<byte[], byte[]>> rows = hub.readAll(perMinute);
    assertThat(rows).hasSize(expected.size());
    for (ConsumerRecord<byte[], byte[]> r : rows) {
      JsonNode row = RelayScenario.read(r.value());
      String minute = java.time.LocalDateTime.of(row.get("year").asInt(), row.get("month").asInt(), row.get("day").asInt(),
          row.get("hour").asInt(), row.get("minute").asInt()).toInstant(java.time.ZoneOffset.UTC).toString();
      String key = row.get("type").asText() + "|" + minute;
      assertStats(row, expected.get(key), key);
      assertThat(row.get("distinctDevices").asInt()).isEqualTo(devices.get(key).size());
      assertThat(row.get("final").asBoolean()).isTrue();
    }
  }

  /** Parquet rows through parquet-avro's own reader, as JSON for the same checks. */
  static List<JsonNode> readParquet(Path file) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    org.apache.parquet.io.InputFile input = org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
        new org.apache.hadoop.fs.Path(file.toUri()), new org.apache.hadoop.conf.Configuration());
    try (org.apache.parquet.hadoop.ParquetReader<org.apache.avro.generic.GenericRecord> reader =
        org.apache.parquet.avro.AvroParquetReader.<org.apache.avro.generic.GenericRecord>builder(input).build()) {
      for (org.apache.avro.generic.GenericRecord r = reader.read(); r != null; r = reader.read()) {
        rows.add(RelayScenario.read(r.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      }
    }
    return rows;
  }

  /** Count, min, max and sum of a key's values, computed the plain way. */
  public static void accumulate(Map<String, double[]> stats, String key, double v) {
    stats.merge(key, new double[] {1, v, v, v},
        (a, b) -> new double[] {a[0] + 1, Math.min(a[1], b[1]), Math.max(a[2], b[2]), a[3] + b[3]});
  }

  /** A row's count, min, max and mean equal the plainly computed ones. */
  public static void assertStats(JsonNode row, double[] e, String key) {
    assertThat(e).as("expected row for %s", key).isNotNull();
    assertThat(row.get("count").asLong()).isEqualTo((long) e[0]);
    assertThat(row.get("min").asDouble()).isEqualTo(e[1]);
    assertThat(row.get("max").asDouble()).isEqualTo(e[2]);
    assertThat(row.get("mean").asDouble()).isCloseTo(e[3] / e[0], within(1e-9));
  }

  static void verify(List<JsonNode> rows, Map<String, double[]> expected) {
    assertThat(rows).hasSize(expected.size());
    Map<String, JsonNode> byKey = new HashMap<>();
    for (JsonNode row : rows) {
      String key = row.get("latitude").asDouble() + "|" + row.get("longitude").asDouble() + "|"
          + String.format("%04d-%02d", row.get("year").asInt(), row.get("month").asInt());
      assertThat(byKey.put(key, row)).as("one final row per city and month: %s", key).isNull();
      assertStats(row, expected.get(key), key);
      assertThat(row.get("timing").asText()).isEqualTo("ON_TIME");
      assertThat(row.get("final").asBoolean()).isTrue();
      assertThat(row.get("city").asText()).isNotBlank();
    }
  }
}
