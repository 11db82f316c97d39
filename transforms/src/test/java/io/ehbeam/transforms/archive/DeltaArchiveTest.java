package io.ehbeam.transforms.archive;

import static io.ehbeam.transforms.testing.Records.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ehbeam.transforms.io.ReadFromHub;
import io.ehbeam.transforms.testing.ArchiveFiles;
import io.ehbeam.transforms.testing.ArchiveFiles.DeltaSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code --format=delta}: WriteArchiveFiles and CommitDeltaWindows on TestStreams; the table read
 * back from its log and Parquet files alone ({@link ArchiveFiles#readDelta}), not with Delta Kernel.
 */
public class DeltaArchiveTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder folder = new TemporaryFolder();

  private static final long T0 = Instant.parse("2023-01-05T13:00:00Z").toEpochMilli();
  private static final Duration WINDOW = Duration.standardSeconds(120);
  private static final ArchiveSchema TEMPERATURE = ArchiveSchema.of(ArchiveSchema.Kind.TEMPERATURE);
  private static final String APP = "temps-cg@temps";

  private static String reading(String city, String time, double temperature) {
    return "{\"latitude\":48.75,\"longitude\":2.25,\"time\":\"" + time + "\",\"temperature_2m\":" + temperature
        + ",\"city\":\"" + city + "\",\"elevation\":43.0}";
  }

  private static TimestampedValue<KafkaRecord<byte[], byte[]>> at(int partition, long offset, long millis, String value) {
    return TimestampedValue.of(record("temps", partition, offset, millis, "k", value.getBytes(StandardCharsets.UTF_8)),
        new org.joda.time.Instant(millis));
  }

  /**
   * The archive's Delta path on {@code on}; {@code skipInTable}: drops what the table holds at
   * start, as the archive does after a restart (without: only the commit step guards).
   */
  private DeltaTable archive(Pipeline on, TestStream<KafkaRecord<byte[], byte[]>> input, boolean skipInTable) {
    DeltaTable table = DeltaTable.at(folder.getRoot().getPath(), null);
    table.createOrCheck(TEMPERATURE);
    PCollection<WindowWritten> written = on.apply(input)
        .apply(new ToArchivedEvents(TEMPERATURE, null, false, true).skippingArchivedWindows(Map.of(), WINDOW)
            .skippingEventsInTable(skipInTable ? table.committedOffsets(APP) : Map.of()))
        .get(ToArchivedEvents.EVENTS)
        .apply(new WriteArchiveFiles(folder.getRoot().getPath(), EnumSet.of(WriteArchiveFiles.Format.DELTA), TEMPERATURE,
            ArchiveLayout.of(ArchiveLayout.Kind.HIVE, "local", "temps"), WINDOW, false, Duration.standardHours(1), 1 << 20));
    written.apply(new CommitDeltaWindows(table, APP, Duration.standardHours(2)));
    return table;
  }

  /** A run before the test's own (a TestPipeline runs once). */
  private void runBefore(TestStream<KafkaRecord<byte[], byte[]>> input) {
    Pipeline before = Pipeline.create(PipelineOptionsFactory.create());
    archive(before, input, true);
    before.run().waitUntilFinish();
  }

  @Test
  public void eachWindowIsOneVersionHoldingEveryPartitionsFilesAndALatePaneAnother() throws IOException {
    TestStream<KafkaRecord<byte[], byte[]>> input = TestStream.create(ReadFromHub.coder())
        .addElements(
            at(0, 10, T0 + 1_000, reading("Paris", "2023-01-05T13:00", 4.5)),
            at(0, 11, T0 + 2_000, reading("Paris", "2023-01-05T14:00", 5.0)),
            at(1, 7, T0 + 3_000, reading("Rome", "2023-01-05T13:00", 11.0)),
            at(1, 8, T0 + 130_000, reading("Rome", "2023-01-06T02:00", 9.5)))
        .advanceWatermarkTo(new org.joda.time.Instant(T0 + 300_000))
        .addElements(at(0, 12, T0 + 4_000, reading("Paris", "2023-01-05T15:00", 5.5)))
        .advanceProcessingTime(Duration.standardSeconds(20))
        .advanceWatermarkToInfinity();
    archive(pipeline, input, true);
    pipeline.run().waitUntilFinish();

    DeltaSnapshot table = ArchiveFiles.readDelta(folder.getRoot().toPath());
    assertThat(table.partitionColumns()).containsExactly("year", "month", "day", "hour");
    assertThat(table.versions()).as("the table's creation, two windows, one late pane").isEqualTo(4);
    assertThat(table.versionsAddingFiles()).isEqualTo(3);
    assertThat(table.domains()).as("per window and partition, the offset the table holds events up to")
        .containsEntry("ehbeam-archive/" + APP, "{\"" + T0 + "/0\":12,\"" + T0 + "/1\":7,\"" + (T0 + 120_000) + "/1\":8}");
    assertThat(table.rows()).extracting(r -> r.get("partition") + "/" + r.get("offset"))
        .containsExactlyInAnyOrder("0/10", "0/11", "1/7", "1/8", "0/12");
    Map<String, Object> rome = table.rows().stream().filter(r -> r.get("offset").equals(8L)).findFirst().orElseThrow();
    assertThat(rome).containsEntry("city", "Rome").containsEntry("temperature_2m", 9.5).containsEntry("year", 2023)
        .containsEntry("month", 1).containsEntry("day", 6).containsEntry("hour", 2)
        .containsEntry("enqueuedAt", "2023-01-05T13:02:10.000Z");
    assertThat(table.files()).allMatch(f -> f.matches("year=2023/month=01/day=0[56]/hour=\\d\\d/part-.*\\.parquet"));
    assertThat(dataFilesOnDisk()).as("every data file is in the table").isEqualTo(table.files());
  }

  @Test
  public void aReplayAddsOnlyTheEventsTheTableLacksEvenInAWindowItHolds() throws IOException {
    // First run: offsets 10 and 11 of window 13:00, 20 of window 13:02, all committed.
    runBefore(TestStream.create(ReadFromHub.coder())
        .addElements(at(0, 10, T0 + 1_000, reading("Paris", "2023-01-05T13:00", 1)),
            at(0, 11, T0 + 2_000, reading("Paris", "2023-01-05T13:00", 2)),
            at(0, 20, T0 + 121_000, reading("Paris", "2023-01-05T13:00", 3)))
        .advanceWatermarkToInfinity());
    // The restart reads them again, and new events of the same two windows.
    archive(pipeline, TestStream.create(ReadFromHub.coder())
        .addElements(at(0, 10, T0 + 1_000, reading("Paris", "2023-01-05T13:00", 1)),
            at(0, 11, T0 + 2_000, reading("Paris", "2023-01-05T13:00", 2)),
            at(0, 20, T0 + 121_000, reading("Paris", "2023-01-05T13:00", 3)),
            at(0, 21, T0 + 3_000, reading("Paris", "2023-01-05T13:00", 4)),
            at(0, 22, T0 + 122_000, reading("Paris", "2023-01-05T13:00", 5)))
        .advanceWatermarkToInfinity(), true);
    pipeline.run().waitUntilFinish();

    DeltaSnapshot table = ArchiveFiles.readDelta(folder.getRoot().toPath());
    assertThat(table.rows()).extracting(r -> r.get("offset")).containsExactlyInAnyOrder(10L, 11L, 20L, 21L, 22L);
    assertThat(dataFilesOnDisk()).isEqualTo(table.files());
  }

  @Test
  public void filesOfEventsTheTableHoldsAreLeftOutAtCommit() throws IOException {
    TestStream<KafkaRecord<byte[], byte[]>> twice = TestStream.create(ReadFromHub.coder())
        .addElements(at(0, 10, T0 + 1_000, reading("Paris", "2023-01-05T13:00", 1)),
            at(1, 5, T0 + 121_000, reading("Rome", "2023-01-05T13:00", 2)))
        .advanceWatermarkToInfinity();
    runBefore(twice);
    // Written again (as after a runner restored a checkpoint older than the commit): nothing added.
    archive(pipeline, twice, false);
    pipeline.run().waitUntilFinish();

    DeltaSnapshot table = ArchiveFiles.readDelta(folder.getRoot().toPath());
    assertThat(table.rows()).extracting(r -> r.get("offset")).containsExactlyInAnyOrder(10L, 5L);
    assertThat(table.versionsAddingFiles()).isEqualTo(2);
    assertThat(dataFilesOnDisk()).as("the second files removed").isEqualTo(table.files());
  }

  @Test
  public void windowsClosingTogetherAreCommittedOneAfterAnother() throws IOException {
    // The log's writer is atomic only within one committer: windows that close at the same
    // watermark must not commit side by side (two of them once wrote the same version).
    int windows = 40;
    TestStream.Builder<KafkaRecord<byte[], byte[]>> input = TestStream.create(ReadFromHub.coder());
    for (int w = 0; w < windows; w++) {
      input = input.addElements(at(w % 2, w, T0 + w * 120_000L + 1_000, reading("Paris", "2023-01-05T13:00", w)));
    }
    archive(pipeline, input.advanceWatermarkToInfinity(), false);
    pipeline.run().waitUntilFinish();

    DeltaSnapshot table = ArchiveFiles.readDelta(folder.getRoot().toPath());
    assertThat(table.versions()).as("the table's creation and one version per window").isEqualTo(windows + 1);
    assertThat(table.rows()).extracting(r -> r.get("offset"))
        .containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.range(0, windows).boxed().toList());
    assertThat(dataFilesOnDisk()).isEqualTo(table.files());
  }

  @Test
  public void nestedObjectsAndListsBecomeStructAndArrayColumns() throws IOException {
    String event = "{\"site\":{\"name\":\"north\",\"floor\":3},\"tags\":[\"a\",\"b\"],\"reading\":%s,\"at\":\"2023-01-05T13:00:00Z\"}";
    ArchiveSchema inferred = ArchiveSchema.forSample(List.of(String.format(event, "1").getBytes(StandardCharsets.UTF_8),
        String.format(event, "2.5").getBytes(StandardCharsets.UTF_8)));
    assertThat(DeltaTable.columns(inferred.avro()).toJson()).contains("\"type\":\"struct\"")
        .contains("{\"type\":\"array\",\"elementType\":\"string\",\"containsNull\":true}");
    DeltaTable table = DeltaTable.at(folder.getRoot().getPath(), null);
    table.createOrCheck(inferred);
    pipeline.apply(TestStream.create(ReadFromHub.coder())
            .addElements(at(0, 1, T0 + 1_000, String.format(event, "1")), at(0, 2, T0 + 2_000, String.format(event, "2.5")))
            .advanceWatermarkToInfinity())
        .apply(new ToArchivedEvents(inferred, "at", false, true)).get(ToArchivedEvents.EVENTS)
        .apply(new WriteArchiveFiles(folder.getRoot().getPath(), EnumSet.of(WriteArchiveFiles.Format.DELTA), inferred,
            ArchiveLayout.of(ArchiveLayout.Kind.HIVE, "local", "temps"), WINDOW, false, Duration.ZERO, 1 << 20))
        .apply(new CommitDeltaWindows(table, APP, Duration.standardHours(2)));
    pipeline.run().waitUntilFinish();

    List<Map<String, Object>> rows = ArchiveFiles.readDelta(folder.getRoot().toPath()).rows();
    assertThat(rows).extracting(r -> r.get("reading")).containsExactlyInAnyOrder(1.0, 2.5);
    assertThat(rows.get(0).get("site").toString()).isEqualTo("{\"name\": \"north\", \"floor\": 3}");
    assertThat(rows.get(0).get("tags").toString()).isEqualTo("[a, b]");
    assertThat(rows.get(0)).containsEntry("hour", 13);
  }

  @Test
  public void offsetsSurviveTheCheckpointsKernelWritesEveryTenVersions() throws IOException {
    DeltaTable table = DeltaTable.at(folder.getRoot().getPath(), null);
    table.createOrCheck(TEMPERATURE);
    for (int w = 0; w < 12; w++) {
      long start = T0 + w * 120_000L;
      DeltaFile file = new DeltaFile("year=2023/month=01/day=05/hour=13/part-" + w + ".parquet", 100, 1, T0, start, 0, w, w);
      assertThat(table.append(APP, List.of(file), Duration.standardHours(2).getMillis()).added()).isEqualTo(1);
    }
    assertThat(folder.getRoot().toPath().resolve("_delta_log/00000000000000000010.checkpoint.parquet")).exists();
    // Read back through the checkpoint: every window's offset, and a window written again is left out.
    DeltaTable reopened = DeltaTable.at(folder.getRoot().getPath(), null);
    assertThat(reopened.committedOffsets(APP)).hasSize(12).containsEntry(DeltaTable.windowPartition(T0 + 11 * 120_000L, 0), 11L);
    DeltaFile again = new DeltaFile("year=2023/month=01/day=05/hour=13/part-again.parquet", 100, 1, T0, T0 + 3 * 120_000L, 0, 3, 3);
    assertThat(reopened.append(APP, List.of(again), Duration.standardHours(2).getMillis()).alreadyInTable()).isEqualTo(1);
  }

  @Test
  public void aTableOfOtherColumnsIsRefused() {
    DeltaTable table = DeltaTable.at(folder.getRoot().getPath(), null);
    table.createOrCheck(TEMPERATURE);
    table.createOrCheck(TEMPERATURE);
    assertThatThrownBy(() -> table.createOrCheck(ArchiveSchema.of(ArchiveSchema.Kind.DEVICE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has the columns (latitude double")
        .hasMessageContaining("pass the --schema the table was written with");
  }

  private java.util.Set<String> dataFilesOnDisk() throws IOException {
    Path root = folder.getRoot().toPath();
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(p -> p.toString().endsWith(".parquet") && !p.startsWith(root.resolve("_delta_log")))
          .map(p -> root.relativize(p).toString()).collect(Collectors.toSet());
    }
  }
}
