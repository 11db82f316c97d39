package io.ehbeam.pipelines.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ehbeam.pipelines.archive.ArchivePipeline;
import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.pipelines.common.ProjectFiles;
import io.ehbeam.pipelines.produce.ProduceTemperatures;
import io.ehbeam.transforms.json.Json;
import io.ehbeam.transforms.relay.EventStamper;
import static io.ehbeam.transforms.testing.ArchiveFiles.files;
import static io.ehbeam.transforms.testing.ArchiveFiles.readAvro;
import static io.ehbeam.transforms.testing.ArchiveFiles.readParquet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The sample week of temperatures, as produce-temperatures writes it (and three bad records), archived with --stopAtEnd as JSON lines,
 * Parquet and Avro at once; every file is read back with an independent reader (Jackson, Avro's
 * DataFileReader, parquet-avro) and each archived record compared with the record it came from.
 */
public final class ArchiveScenario {
  private ArchiveScenario() {}

  public static void sampleWeek(String name, String... runnerArgs) {
    sampleWeek(name, JobLauncher.IN_THIS_JVM, runnerArgs);
  }

  public static void sampleWeek(String name, JobLauncher launcher, String... runnerArgs) {
    try {
      Path dir = Files.createTempDirectory("ehbeam-archive-");
      sampleWeek(name, dir.toString(), () -> dir, launcher, runnerArgs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The same, archived to {@code outputDirectory} (any Beam path); {@code localCopy} brings the
   * written files into a local folder for reading.
   */
  public static void sampleWeek(String name, String outputDirectory, Callable<Path> localCopy, String... runnerArgs) {
    sampleWeek(name, outputDirectory, localCopy, JobLauncher.IN_THIS_JVM, runnerArgs);
  }

  static void sampleWeek(String name, String outputDirectory, Callable<Path> localCopy, JobLauncher launcher,
      String... runnerArgs) {
    inEveryFormat(name, outputDirectory, localCopy, ProjectFiles.datafile("temperatures/sample/flat/temperatures.jsonl"),
        launcher, runnerArgs);
  }

  /**
   * The sample week's first day only, archived to {@code outputDirectory} in every format: fewer
   * files, for Azure Blob Storage's emulator, which takes a while per blob.
   */
  public static void sampleDay(String name, String outputDirectory, Callable<Path> localCopy, String... runnerArgs) {
    inEveryFormat(name, outputDirectory, localCopy, sampleDayFile(), JobLauncher.IN_THIS_JVM, runnerArgs);
  }

  /** {@code readings} (a file as produce-temperatures reads it) replayed, archived as JSON lines, Parquet and Avro, checked. */
  private static void inEveryFormat(String name, String outputDirectory, Callable<Path> localCopy, String readings,
      JobLauncher launcher, String... runnerArgs) {
    try {
      SampleWeek week = SampleWeek.onHub(name, readings, launcher, runnerArgs);
      HubFixture hub = week.hub;
      String topic = week.topic;
      List<ConsumerRecord<byte[], byte[]>> input = week.input;
      Map<String, ConsumerRecord<byte[], byte[]>> expected = week.expected;
      List<String> args = new ArrayList<>(List.of("--bootstrapServers=" + hub.bootstrapServers(), "--inputTopic=" + topic,
          "--consumerGroup=" + topic + "-cg", "--stopAtEnd=true", "--outputDirectory=" + outputDirectory,
          "--format=json,parquet,avro", "--schema=temperature", "--maxFileBytes=20000"));
      args.addAll(Arrays.asList(runnerArgs));
      Jobs.Outcome outcome = launcher.run("archive", args);
      assertThat(outcome.state()).isEqualTo(PipelineResult.State.DONE);
      assertThat(outcome.counter("read")).isEqualTo(input.size());
      assertThat(outcome.counter("archived")).isEqualTo(expected.size());
      assertThat(outcome.counter("deadLettered")).isEqualTo(3);
      Path dir = localCopy.call();

      // JSON lines: each event as received, plus the archive's fields; in its event hour's folder.
      Map<String, JsonNode> lines = new HashMap<>();
      for (Path file : files(dir, ".jsonl")) {
        for (String line : Files.readAllLines(file)) {
          ObjectNode archived = (ObjectNode) Json.MAPPER.readTree(line);
          String id = archived.get("partition").asInt() + "/" + archived.get("offset").asLong();
          assertThat(lines.put(id, archived)).as("archived once: " + id).isNull();
          ConsumerRecord<byte[], byte[]> source = expected.get(id);
          assertThat(source).as("archived record " + id + " came from the input").isNotNull();
          LocalDateTime time = LocalDateTime.parse(archived.get("time").asText());
          assertThat(line).startsWith(new String(source.value(), UTF_8).substring(0, source.value().length - 1) + ",");
          assertThat(archived.get("year").asInt()).isEqualTo(time.getYear());
          assertThat(archived.get("month").asInt()).isEqualTo(time.getMonthValue());
          assertThat(archived.get("day").asInt()).isEqualTo(time.getDayOfMonth());
          assertThat(archived.get("hour").asInt()).isEqualTo(time.getHour());
          assertThat(archived.get("enqueuedAt").asText()).isEqualTo(EventStamper.format(source.timestamp()));
          assertThat(dir.relativize(file.getParent()).toString()).isEqualTo(String.format(
              "year=%04d/month=%02d/day=%02d/hour=%02d", time.getYear(), time.getMonthValue(), time.getDayOfMonth(), time.getHour()));
        }
      }
      assertThat(lines.keySet()).isEqualTo(expected.keySet());

      for (String format : List.of(".parquet", ".avro")) {
        Map<String, GenericRecord> rows = new HashMap<>();
        for (Path file : files(dir, format)) {
          for (GenericRecord row : format.equals(".avro") ? readAvro(file) : readParquet(file)) {
            String id = row.get("partition") + "/" + row.get("offset");
            assertThat(rows.put(id, row)).as(format + " archived once: " + id).isNull();
            JsonNode source = Json.MAPPER.readTree(expected.get(id).value());
            assertThat(row.get("temperature_2m")).isEqualTo(source.get("temperature_2m").asDouble());
            assertThat(row.get("city").toString()).isEqualTo(source.get("city").asText());
            assertThat(row.get("time").toString()).isEqualTo(source.get("time").asText());
            assertThat(row.get("hour")).isEqualTo(LocalDateTime.parse(source.get("time").asText()).getHour());
          }
        }
        assertThat(rows.keySet()).as(format).isEqualTo(expected.keySet());
      }
      long hours = lines.values().stream().map(l -> l.get("time").asText().substring(0, 13)).distinct().count();
      assertThat(files(dir, ".jsonl")).as("a file per event hour and partition at least").hasSizeGreaterThanOrEqualTo((int) hours);

      week.checkDeadLetters(topic + "-archive-deadletter");
    } catch (Exception e) {
      throw e instanceof RuntimeException ? (RuntimeException) e : new IllegalStateException(e);
    }
  }

  /**
   * The sample week archived as a Delta table ({@code --format=delta}) at {@code outputDirectory};
   * {@code localCopy} brings the table into a local folder, where it is read from its log and its
   * Parquet files alone ({@link io.ehbeam.transforms.testing.ArchiveFiles#readDelta}): every valid
   * reading once, with its values and partition columns, and one version per window of enqueue time.
   * {@code runAgain}: then a second run over ten more readings adds only those.
   */
  public static void sampleWeekAsDelta(String name, String outputDirectory, Callable<Path> localCopy, boolean runAgain,
      String... runnerArgs) {
    asDelta(name, outputDirectory, localCopy, ProjectFiles.datafile("temperatures/sample/flat/temperatures.jsonl"), runAgain,
        runnerArgs);
  }

  /**
   * The same for the sample week's first day only (fewer files: Azure Blob Storage's emulator takes a
   * while per blob), archived once (no second run).
   */
  public static void sampleDayAsDelta(String name, String outputDirectory, Callable<Path> localCopy, String... runnerArgs) {
    asDelta(name, outputDirectory, localCopy, sampleDayFile(), false, runnerArgs);
  }

  /** The sample week's readings of 2023-01-01, in a file of their own. */
  private static String sampleDayFile() {
    try {
      Path day = Files.createTempFile("ehbeam-sample-day-", ".jsonl");
      Files.write(day, Files.readAllLines(Path.of(ProjectFiles.datafile("temperatures/sample/flat/temperatures.jsonl")))
          .stream().filter(l -> l.contains("\"time\":\"2023-01-01T")).toList());
      return day.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code readings}: the file produce-temperatures replays; {@code runAgain}: a second run with ten more readings. */
  private static void asDelta(String name, String outputDirectory, Callable<Path> localCopy, String readings, boolean runAgain,
      String... runnerArgs) {
    try {
      SampleWeek week = SampleWeek.onHub(name + "-delta", readings, JobLauncher.IN_THIS_JVM, runnerArgs);
      List<String> args = new ArrayList<>(List.of("--bootstrapServers=" + week.hub.bootstrapServers(),
          "--inputTopic=" + week.topic, "--consumerGroup=" + week.topic + "-cg", "--stopAtEnd=true",
          "--outputDirectory=" + outputDirectory, "--format=delta", "--schema=temperature", "--maxFileBytes=20000"));
      args.addAll(Arrays.asList(runnerArgs));
      Jobs.Outcome outcome = JobLauncher.IN_THIS_JVM.run("archive", args);
      assertThat(outcome.state()).isEqualTo(PipelineResult.State.DONE);
      assertThat(outcome.counter("archived")).isEqualTo(week.expected.size());
      assertThat(outcome.counter("deadLettered")).isEqualTo(3);

      io.ehbeam.transforms.testing.ArchiveFiles.DeltaSnapshot table =
          io.ehbeam.transforms.testing.ArchiveFiles.readDelta(localCopy.call());
      assertThat(table.partitionColumns()).containsExactly("year", "month", "day", "hour");
      Map<String, Map<String, Object>> rows = new HashMap<>();
      for (Map<String, Object> row : table.rows()) {
        String id = row.get("partition") + "/" + row.get("offset");
        assertThat(rows.put(id, row)).as("in the table once: " + id).isNull();
        JsonNode source = Json.MAPPER.readTree(week.expected.get(id).value());
        LocalDateTime time = LocalDateTime.parse(source.get("time").asText());
        assertThat(row).containsEntry("temperature_2m", source.get("temperature_2m").asDouble())
            .containsEntry("city", source.get("city").asText()).containsEntry("time", source.get("time").asText())
            .containsEntry("year", time.getYear()).containsEntry("month", time.getMonthValue())
            .containsEntry("day", time.getDayOfMonth()).containsEntry("hour", time.getHour())
            .containsEntry("enqueuedAt", EventStamper.format(week.expected.get(id).timestamp()));
      }
      assertThat(rows.keySet()).isEqualTo(week.expected.keySet());
      long windows = week.expected.values().stream().map(r -> r.timestamp() / 120_000).distinct().count();
      assertThat(table.versionsAddingFiles()).as("one version per window").isEqualTo(windows);
      assertThat(outcome.counter("deltaVersions")).isEqualTo(windows);
      long folders = week.expected.values().stream()
          .map(r -> r.partition() + "/" + readingHour(r.value())).distinct().count();
      assertThat(table.files().size()).as("a file per partition and event hour at least").isGreaterThanOrEqualTo((int) folders);
      week.checkDeadLetters(week.topic + "-archive-deadletter");
      if (!runAgain) {
        return;
      }

      // Run again with more events, likely in the window just committed: only those are added.
      List<Map.Entry<String, byte[]>> more = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        more.add(new AbstractMap.SimpleEntry<>("Oslo", ("{\"latitude\":59.9,\"longitude\":10.7,\"time\":\"2023-02-01T0" + i
            + ":00\",\"temperature_2m\":-" + i + ".5,\"city\":\"Oslo\",\"elevation\":23}").getBytes(UTF_8)));
      }
      week.hub.write(week.topic, more);
      Jobs.Outcome again = JobLauncher.IN_THIS_JVM.run("archive", args);
      assertThat(again.state()).isEqualTo(PipelineResult.State.DONE);
      assertThat(again.counter("archived")).isEqualTo(10);
      io.ehbeam.transforms.testing.ArchiveFiles.DeltaSnapshot after =
          io.ehbeam.transforms.testing.ArchiveFiles.readDelta(localCopy.call());
      assertThat(after.rows()).hasSize(week.expected.size() + 10);
      assertThat(after.rows().stream().filter(r -> "Oslo".equals(r.get("city"))).map(r -> r.get("temperature_2m")))
          .containsExactlyInAnyOrder(-0.5, -1.5, -2.5, -3.5, -4.5, -5.5, -6.5, -7.5, -8.5, -9.5);
    } catch (Exception e) {
      throw e instanceof RuntimeException ? (RuntimeException) e : new IllegalStateException(e);
    }
  }

  /** The event hour of a reading ({@code 2023-01-05T13}). */
  private static String readingHour(byte[] value) {
    try {
      return Json.MAPPER.readTree(value).get("time").asText().substring(0, 13);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sample week on a hub of three partitions, as produce-temperatures writes it, and three bad records. */
  static final class SampleWeek {
    final HubFixture hub;
    final String topic;
    final List<ConsumerRecord<byte[], byte[]>> input;
    /** partition/offset of each valid reading: what must land. */
    final Map<String, ConsumerRecord<byte[], byte[]>> expected = new HashMap<>();

    private SampleWeek(HubFixture hub, String topic, List<ConsumerRecord<byte[], byte[]>> input) {
      this.hub = hub;
      this.topic = topic;
      this.input = input;
    }

    static SampleWeek onHub(String name, JobLauncher launcher, String... runnerArgs) {
      return onHub(name, ProjectFiles.datafile("temperatures/sample/flat/temperatures.jsonl"), launcher, runnerArgs);
    }

    /** With the readings of {@code readings} (a file as produce-temperatures reads it). */
    static SampleWeek onHub(String name, String readings, JobLauncher launcher, String... runnerArgs) {
      HubFixture hub = HubFixture.plain();
      String topic = hub.newTopic(name + "-archive-in", 3);
      // The stream as produce-temperatures writes it (readings joined with their city), plus bad records.
      List<String> produce = new ArrayList<>(List.of("--bootstrapServers=" + hub.bootstrapServers(),
          "--outputTopic=" + topic, "--input=" + readings));
      produce.addAll(Arrays.asList(runnerArgs));
      Jobs.Outcome produced = launcher.run("produce-temperatures", produce);
      assertThat(produced.state()).isEqualTo(PipelineResult.State.DONE);
      List<Map.Entry<String, byte[]>> records = new ArrayList<>();
      records.add(new AbstractMap.SimpleEntry<>("x", "not json".getBytes(UTF_8)));
      records.add(new AbstractMap.SimpleEntry<>("Paris", "{\"latitude\":1,\"longitude\":2,\"time\":\"2023-01-01T00:00\",\"temperature_2m\":\"warm\",\"city\":\"Paris\",\"elevation\":1}".getBytes(UTF_8)));
      records.add(new AbstractMap.SimpleEntry<>(null, "{\"latitude\":1}".getBytes(UTF_8)));
      hub.write(topic, records);
      List<ConsumerRecord<byte[], byte[]>> input = hub.readAll(topic);
      assertThat(input).hasSize((int) produced.counter("written") + records.size());
      // What must land: the valid readings (the sample's six null hours lack temperature_2m).
      SampleWeek week = new SampleWeek(hub, topic, input);
      for (ConsumerRecord<byte[], byte[]> r : input) {
        JsonNode e;
        try {
          e = Json.MAPPER.readTree(r.value());
        } catch (IOException notJson) {
          continue;
        }
        if (e.path("temperature_2m").isNumber() && e.has("time")) {
          week.expected.put(r.partition() + "/" + r.offset(), r);
        }
      }
      assertThat(week.expected).hasSize((int) produced.counter("written"));
      return week;
    }

    /** The three bad records in {@code deadLetterTopic}, each with its reason. */
    void checkDeadLetters(String deadLetterTopic) {
      List<String> reasons = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> letter : hub.readAll(deadLetterTopic)) {
        Header reason = letter.headers().lastHeader("deadletter.reason");
        reasons.add(new String(reason.value(), UTF_8));
      }
      assertThat(reasons).hasSize(3);
      assertThat(reasons).anyMatch(r -> r.startsWith("not valid JSON"))
          .contains("field 'temperature_2m' must be a number, got string")
          .contains("no event time: field 'time' is missing or not a scalar");
    }
  }
}
