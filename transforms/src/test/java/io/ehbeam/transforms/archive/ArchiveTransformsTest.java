package io.ehbeam.transforms.archive;

import static io.ehbeam.transforms.testing.Records.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.transforms.deadletter.DeadLetter;
import io.ehbeam.transforms.options.Choice;
import io.ehbeam.transforms.io.ReadFromHub;
import io.ehbeam.transforms.json.Json;
import io.ehbeam.transforms.testing.ArchiveFiles;
import static io.ehbeam.transforms.testing.ArchiveFiles.readAvro;
import static io.ehbeam.transforms.testing.ArchiveFiles.readParquet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** ToArchivedEvents and WriteArchiveFiles on TestStreams; files read back with Avro's and Parquet's own readers. */
public class ArchiveTransformsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder folder = new TemporaryFolder();

  private static final long T0 = Instant.parse("2023-01-05T13:00:00Z").toEpochMilli();
  private static final Duration WINDOW = Duration.standardSeconds(120);
  private static final org.apache.beam.sdk.values.TupleTag<WindowWritten> WRITTEN = new org.apache.beam.sdk.values.TupleTag<>("written") {};

  private static String reading(String city, String time, double temperature) {
    return "{\"latitude\":48.75,\"longitude\":2.25,\"time\":\"" + time + "\",\"temperature_2m\":" + temperature
        + ",\"city\":\"" + city + "\",\"elevation\":43.0}";
  }

  private PCollectionTuple archive(TestStream<KafkaRecord<byte[], byte[]>> input, String formats, String schema,
      String layout, long maxFileBytes) {
    ArchiveSchema s = ArchiveSchema.of(Choice.parse(ArchiveSchema.Kind.class, schema));
    Set<WriteArchiveFiles.Format> f = java.util.EnumSet.noneOf(WriteArchiveFiles.Format.class);
    for (String format : formats.split(",")) {
      f.add(Choice.parse(WriteArchiveFiles.Format.class, format));
    }
    PCollectionTuple checked = pipeline.apply(input)
        .apply(new ToArchivedEvents(s, null, f.contains(WriteArchiveFiles.Format.JSON),
            f.contains(WriteArchiveFiles.Format.PARQUET) || f.contains(WriteArchiveFiles.Format.AVRO)));
    PCollection<WindowWritten> files = checked.get(ToArchivedEvents.EVENTS)
        .apply(new WriteArchiveFiles(folder.getRoot().getPath(), f, s, ArchiveLayout.of(Choice.parse(ArchiveLayout.Kind.class, layout), "local", "temps"),
            WINDOW, false, Duration.standardHours(1), maxFileBytes));
    return checked.and(WRITTEN, files);
  }

  private static TestStream.Builder<KafkaRecord<byte[], byte[]>> stream() {
    return TestStream.create(ReadFromHub.coder());
  }

  private static TimestampedValue<KafkaRecord<byte[], byte[]>> at(int partition, long offset, long millis, String value) {
    return TimestampedValue.of(record("temps", partition, offset, millis, "k", value.getBytes(StandardCharsets.UTF_8)),
        new org.joda.time.Instant(millis));
  }

  @Test
  public void windowsAndPartitionsLandInHiveFoldersWithDeterministicNames() throws IOException {
    TestStream<KafkaRecord<byte[], byte[]>> input = stream()
        .addElements(
            at(0, 10, T0 + 1_000, reading("Paris", "2023-01-05T13:00", 4.5)),
            at(0, 11, T0 + 2_000, reading("Paris", "2023-01-05T14:00", 5.0)),
            at(1, 7, T0 + 3_000, reading("Rome", "2023-01-05T13:00", 11.0)),
            at(0, 12, T0 + 130_000, reading("Paris", "2023-01-05T15:00", 5.5)))
        .advanceWatermarkToInfinity();
    archive(input, "json", "temperature", "hive", 1 << 20);
    pipeline.run().waitUntilFinish();

    assertThat(relativeFiles()).containsExactlyInAnyOrder(
        "year=2023/month=01/day=05/hour=13/part-20230105T130000-p0-o000000000010.jsonl",
        "year=2023/month=01/day=05/hour=14/part-20230105T130000-p0-o000000000011.jsonl",
        "year=2023/month=01/day=05/hour=13/part-20230105T130000-p1-o000000000007.jsonl",
        "year=2023/month=01/day=05/hour=15/part-20230105T130200-p0-o000000000012.jsonl");
    List<String> lines = Files.readAllLines(folder.getRoot().toPath()
        .resolve("year=2023/month=01/day=05/hour=13/part-20230105T130000-p1-o000000000007.jsonl"));
    assertThat(lines).containsExactly(reading("Rome", "2023-01-05T13:00", 11.0).replace("}",
        ",\"year\":2023,\"month\":1,\"day\":5,\"hour\":13,\"enqueuedAt\":\"2023-01-05T13:00:03.000Z\",\"partition\":1,\"offset\":7}"));
  }

  @Test
  public void captureLayoutFollowsTheWindowStartAndPartition() throws IOException {
    TestStream<KafkaRecord<byte[], byte[]>> input = stream()
        .addElements(at(1, 5, T0 + 61_000, "{\"a\":1}"), at(1, 6, T0 + 119_000, "{\"a\":2}"))
        .advanceWatermarkToInfinity();
    archive(input, "avro", "raw", "capture", 1 << 20);
    pipeline.run().waitUntilFinish();
    assertThat(relativeFiles()).containsExactly("local/temps/1/2023/01/05/13/00/00-o000000000005.avro");
    List<GenericRecord> records = readAvro(folder.getRoot().toPath().resolve("local/temps/1/2023/01/05/13/00/00-o000000000005.avro"));
    assertThat(records).extracting(r -> r.get("body").toString()).containsExactly("{\"a\":1}", "{\"a\":2}");
    assertThat(records.get(0).get("offset")).isEqualTo(5L);
    assertThat(records.get(0).get("partition")).isEqualTo(1);
    assertThat(records.get(0).get("enqueuedAt").toString()).isEqualTo("2023-01-05T13:01:01.000Z");
    assertThat(records.get(0).get("hour")).isEqualTo(13);
  }

  @Test
  public void filesRollAtMaxFileBytesAndHoldEveryEventOnce() throws IOException {
    TestStream.Builder<KafkaRecord<byte[], byte[]>> builder = stream();
    for (int i = 0; i < 50; i++) {
      builder = builder.addElements(at(0, 100 + i, T0 + i * 100, reading("Paris", "2023-01-05T13:00", i)));
    }
    int lineBytes = reading("Paris", "2023-01-05T13:00", 10).length() + 120;
    archive(builder.advanceWatermarkToInfinity(), "json,parquet", "temperature", "hive", 10L * lineBytes);
    pipeline.run().waitUntilFinish();

    List<Path> jsonFiles = files(".jsonl");
    assertThat(jsonFiles).hasSizeGreaterThanOrEqualTo(5);
    List<Double> temperatures = new ArrayList<>();
    for (Path f : jsonFiles) {
      assertThat(Files.size(f)).isLessThanOrEqualTo(10L * lineBytes);
      for (String line : Files.readAllLines(f)) {
        temperatures.add(Json.MAPPER.readTree(line).get("temperature_2m").asDouble());
      }
    }
    assertThat(temperatures).hasSize(50).doesNotHaveDuplicates();
    List<GenericRecord> rows = new ArrayList<>();
    for (Path f : files(".parquet")) {
      rows.addAll(readParquet(f));
    }
    assertThat(rows).extracting(r -> (Long) r.get("offset")).containsExactlyInAnyOrderElementsOf(
        Stream.iterate(100L, o -> o + 1).limit(50).collect(Collectors.toList()));
    assertThat(rows.get(0).get("city").toString()).isEqualTo("Paris");
  }

  @Test
  public void lateEventsGetTheirOwnFileInsteadOfReplacingTheWindows() throws IOException {
    TestStream<KafkaRecord<byte[], byte[]>> input = stream()
        .addElements(at(0, 1, T0 + 1_000, reading("Paris", "2023-01-05T13:00", 1)))
        .advanceWatermarkTo(new org.joda.time.Instant(T0 + 300_000))
        .addElements(at(0, 2, T0 + 2_000, reading("Paris", "2023-01-05T13:00", 2)))
        .advanceProcessingTime(Duration.standardSeconds(20))
        .advanceWatermarkToInfinity();
    archive(input, "json", "temperature", "hive", 1 << 20);
    pipeline.run().waitUntilFinish();
    assertThat(relativeFiles()).containsExactlyInAnyOrder(
        "year=2023/month=01/day=05/hour=13/part-20230105T130000-p0-o000000000001.jsonl",
        "year=2023/month=01/day=05/hour=13/part-20230105T130000-p0-o000000000002.jsonl");
  }

  @Test
  public void badEventsAreDeadLettersWithTheReason() {
    TestStream<KafkaRecord<byte[], byte[]>> input = stream()
        .addElements(
            at(0, 1, T0, "not json"),
            at(0, 2, T0, "[1,2]"),
            at(0, 3, T0, "{\"latitude\":1,\"longitude\":2,\"temperature_2m\":3,\"city\":\"X\",\"elevation\":4}"),
            at(0, 4, T0, reading("Paris", "2023-01-05T13:00", 1).replace("1.0", "\"warm\"")),
            at(0, 5, T0, reading("Paris", "yesterday", 1)),
            at(0, 6, T0, reading("Paris", "2023-01-05T13:00", 1)))
        .advanceWatermarkToInfinity();
    PCollectionTuple out = archive(input, "parquet", "temperature", "hive", 1 << 20);
    PAssert.that(out.get(ToArchivedEvents.DEAD_LETTERS)).satisfies((SerializableFunction<Iterable<DeadLetter>, Void>) letters -> {
      List<String> reasons = new ArrayList<>();
      letters.forEach(l -> reasons.add(l.sourceOffset() + ": " + l.reason()));
      assertThat(reasons).hasSize(5);
      assertThat(String.join("\n", reasons)).contains("1: not valid JSON", "2: not a JSON object",
          "3: no event time: field 'time' is missing", "4: field 'temperature_2m' must be a number, got string",
          "5: no event time: field 'time' is 'yesterday'");
      return null;
    });
    PAssert.that(out.get(ToArchivedEvents.EVENTS)).satisfies(events -> {
      assertThat(events).extracting(e -> e.offset).containsExactly(6L);
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void aReplayedWindowReplacesItsFilesInsteadOfAddingCopies() throws IOException {
    for (int run = 0; run < 2; run++) {
      org.apache.beam.sdk.Pipeline replay = org.apache.beam.sdk.Pipeline.create();
      ArchiveSchema schema = ArchiveSchema.of(ArchiveSchema.Kind.TEMPERATURE);
      replay.apply(org.apache.beam.sdk.transforms.Create.timestamped(
              at(0, 1, T0, reading("Paris", "2023-01-05T13:00", 1)), at(0, 2, T0 + 1, reading("Paris", "2023-01-05T13:00", 2)))
              .withCoder(ReadFromHub.coder()))
          .apply(new ToArchivedEvents(schema, null, false, true)).get(ToArchivedEvents.EVENTS)
          .apply(new WriteArchiveFiles(folder.getRoot().getPath(), Set.of(WriteArchiveFiles.Format.PARQUET), schema,
              ArchiveLayout.of(ArchiveLayout.Kind.HIVE, "local", "temps"), WINDOW, false, Duration.ZERO, 1 << 20));
      replay.run().waitUntilFinish();
    }
    assertThat(relativeFiles()).containsExactly("year=2023/month=01/day=05/hour=13/part-20230105T130000-p0-o000000000001.parquet");
    assertThat(readParquet(files(".parquet").get(0))).extracting(r -> r.get("temperature_2m")).containsExactly(1.0, 2.0);
  }

  private List<Path> files(String suffix) throws IOException {
    return ArchiveFiles.files(folder.getRoot().toPath(), suffix);
  }

  private List<String> relativeFiles() throws IOException {
    try (Stream<Path> all = Files.walk(folder.getRoot().toPath())) {
      return all.filter(Files::isRegularFile).map(p -> folder.getRoot().toPath().relativize(p).toString())
          .collect(Collectors.toList());
    }
  }


}
