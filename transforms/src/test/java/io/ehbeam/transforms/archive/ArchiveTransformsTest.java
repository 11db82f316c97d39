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
import static io.ehbeam.transforms.testing.ArchiveFiles.bytes;
import static io.ehbeam.transforms.testing.ArchiveFiles.strings;
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
  public void captureLayoutNamesEachFileAfterTheSecondItStarts() throws IOException {
    TestStream<KafkaRecord<byte[], byte[]>> input = stream()
        .addElements(at(1, 5, T0 + 61_500, "{\"a\":1}"), at(1, 6, T0 + 119_000, "{\"a\":2}"))
        .advanceWatermarkToInfinity();
    archive(input, "avro", "raw", "capture", 1 << 20);
    pipeline.run().waitUntilFinish();
    assertThat(relativeFiles()).containsExactly("local/temps/1/2023/01/05/13/01/01.avro");
    List<GenericRecord> records = readAvro(folder.getRoot().toPath().resolve("local/temps/1/2023/01/05/13/01/01.avro"));
    assertThat(records).extracting(r -> r.get("body").toString()).containsExactly("{\"a\":1}", "{\"a\":2}");
    assertThat(records.get(0).get("offset")).isEqualTo(5L);
    assertThat(records.get(0).get("partition")).isEqualTo(1);
    assertThat(records.get(0).get("enqueuedAt").toString()).isEqualTo("2023-01-05T13:01:01.500Z");
    assertThat(records.get(0).get("hour")).isEqualTo(13);
  }

  @Test
  public void captureSchemaKeepsEveryBodyHeaderAndSystemPropertyAsCaptureDoes() throws IOException {
    byte[] binary = {(byte) 0xff, 0, (byte) 0xfe, 'x'};
    org.apache.kafka.common.header.internals.RecordHeaders headers = new org.apache.kafka.common.header.internals.RecordHeaders();
    headers.add("content-type", "application/octet-stream".getBytes(StandardCharsets.UTF_8));
    headers.add("raw", new byte[] {1, 2, 3});
    long t = T0 + 4_250;
    TestStream<KafkaRecord<byte[], byte[]>> input = stream()
        .addElements(
            TimestampedValue.of(new KafkaRecord<>("temps", 0, 40, t, org.apache.beam.sdk.io.kafka.KafkaTimestampType.LOG_APPEND_TIME,
                headers, "device-1".getBytes(StandardCharsets.UTF_8), binary), new org.joda.time.Instant(t)),
            TimestampedValue.of(record("temps", 0, 41, t + 1, null, new byte[0]), new org.joda.time.Instant(t + 1)),
            TimestampedValue.of(record("temps", 0, 42, t + 2, "k", null), new org.joda.time.Instant(t + 2)),
            at(0, 43, t + 3, "not json at all"))
        .advanceWatermarkToInfinity();
    PCollectionTuple out = archive(input, "avro", "capture", "capture", 1 << 20);
    PAssert.that(out.get(ToArchivedEvents.DEAD_LETTERS)).empty();
    pipeline.run().waitUntilFinish();

    assertThat(relativeFiles()).containsExactly("local/temps/0/2023/01/05/13/00/04.avro");
    org.apache.avro.Schema published = new org.apache.avro.Schema.Parser().parse(ArchiveFiles.CAPTURE_SCHEMA_AS_PUBLISHED);
    List<GenericRecord> records = new ArrayList<>();
    try (org.apache.avro.file.DataFileReader<GenericRecord> reader = new org.apache.avro.file.DataFileReader<>(
        folder.getRoot().toPath().resolve("local/temps/0/2023/01/05/13/00/04.avro").toFile(),
        new org.apache.avro.generic.GenericDatumReader<>(published))) {
      assertThat(reader.getSchema().getFullName()).isEqualTo("Microsoft.ServiceBus.Messaging.EventData");
      reader.forEach(records::add);
    }
    assertThat(records).extracting(r -> (Long) r.get("SequenceNumber")).containsExactly(40L, 41L, 42L, 43L);
    GenericRecord first = records.get(0);
    assertThat(first.get("Offset").toString()).isEqualTo("40");
    assertThat(first.get("EnqueuedTimeUtc").toString()).isEqualTo("1/5/2023 1:00:04 PM");
    assertThat(bytes(first.get("Body"))).isEqualTo(binary);
    java.util.Map<String, Object> system = strings((java.util.Map<?, ?>) first.get("SystemProperties"));
    assertThat(system).containsEntry("x-opt-sequence-number", 40L).containsEntry("x-opt-offset", "40")
        .containsEntry("x-opt-enqueued-time", t).containsEntry("x-opt-partition-key", "device-1");
    java.util.Map<String, Object> properties = strings((java.util.Map<?, ?>) first.get("Properties"));
    assertThat(bytes(properties.get("content-type"))).isEqualTo("application/octet-stream".getBytes(StandardCharsets.UTF_8));
    assertThat(bytes(properties.get("raw"))).isEqualTo(new byte[] {1, 2, 3});
    assertThat(bytes(records.get(1).get("Body"))).isEmpty();
    assertThat(strings((java.util.Map<?, ?>) records.get(1).get("SystemProperties"))).doesNotContainKey("x-opt-partition-key");
    assertThat(records.get(2).get("Body")).isNull();
    assertThat(new String(bytes(records.get(3).get("Body")), StandardCharsets.UTF_8)).isEqualTo("not json at all");
  }

  @Test
  public void captureFilesOfOneWindowNeverShareASecond() throws IOException {
    TestStream.Builder<KafkaRecord<byte[], byte[]>> builder = stream();
    for (int i = 0; i < 30; i++) {
      // 30 events within one second: the files they roll into start a second apart.
      builder = builder.addElements(at(0, i, T0 + 7_000 + i * 10, "{\"n\":" + i + "}"));
    }
    archive(builder.advanceWatermarkToInfinity(), "avro", "capture", "capture", 400);
    pipeline.run().waitUntilFinish();

    List<String> names = relativeFiles();
    assertThat(names).hasSizeGreaterThan(2).startsWith("local/temps/0/2023/01/05/13/00/07.avro")
        .contains("local/temps/0/2023/01/05/13/00/08.avro");
    List<Long> sequenceNumbers = new ArrayList<>();
    for (String name : names) {
      readAvro(folder.getRoot().toPath().resolve(name)).forEach(r -> sequenceNumbers.add((Long) r.get("SequenceNumber")));
    }
    assertThat(sequenceNumbers).containsExactlyInAnyOrderElementsOf(
        java.util.stream.LongStream.range(0, 30).boxed().collect(Collectors.toList()));
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
  public void aLateCaptureFileNeverTakesTheNameOfItsWindowsFile() throws IOException {
    TestStream<KafkaRecord<byte[], byte[]>> input = stream()
        .addElements(at(0, 1, T0 + 1_000, "{\"on\":\"time\"}"))
        .advanceWatermarkTo(new org.joda.time.Instant(T0 + 300_000))
        // Enqueued in the same second as the window's file: its own name all the same.
        .addElements(at(0, 2, T0 + 1_500, "{\"late\":true}"))
        .advanceProcessingTime(Duration.standardSeconds(20))
        .advanceWatermarkToInfinity();
    archive(input, "avro", "capture", "capture", 1 << 20);
    pipeline.run().waitUntilFinish();
    assertThat(relativeFiles()).containsExactly("local/temps/0/2023/01/05/13/00/01-late1.avro", "local/temps/0/2023/01/05/13/00/01.avro");
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
          .sorted().collect(Collectors.toList());
    }
  }


}
