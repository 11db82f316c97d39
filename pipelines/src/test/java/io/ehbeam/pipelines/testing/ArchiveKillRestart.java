package io.ehbeam.pipelines.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ehbeam.pipelines.archive.ArchivePipeline;
import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.transforms.json.Json;
import io.ehbeam.transforms.testing.ArchiveFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The archive, streaming on a runner in its own JVM, is killed (SIGKILL) after it has
 * written and committed some windows while another is open in memory; more events arrive; it
 * starts again with the same consumer group. Every event must be in the files exactly once.
 *
 * <p>Windows are in enqueue time and the read's watermark follows the wall clock (KafkaIO caps it
 * at now). Five minutes of events from two hours ago are there before the archive starts: once its
 * read is caught up the watermark passes them, their windows are written and the group committed
 * at once (from the two newest of them, whose first offset per partition is {@link #KEPT_FROM}).
 * Then a writer sends 30 events/s timestamped up to 10 s in the past (out of order within a
 * partition, as with several producers): their window is open in memory when the archive is killed.
 * One old event per partition is 8 s out of order across the kept windows' start, so the restart
 * reads it again and must count it as already archived.
 */
public final class ArchiveKillRestart {
  private static final int PARTITIONS = 3;
  /** Per partition: 100 old events 3 s apart, five 60 s windows; windows 3 and 4 start at offset 60. */
  private static final int OLD_EVENTS = 100;
  private static final long KEPT_FROM = 60;

  private ArchiveKillRestart() {}

  /**
   * Runs the scenario with {@code runner} (the runner's options; empty: the DirectRunner) and checks
   * every event is in the files once. {@code streamingOnly}: options for the killed streaming run
   * only (Flink's checkpoints); the restart reads to the end with {@code runner} and {@code --stopAtEnd}.
   */
  public static void verify(List<String> runner, List<String> streamingOnly) throws Exception {
    verify(runner, streamingOnly, Output.JSON_LINES);
  }

  /** What the archive writes in the scenario. */
  public enum Output {
    JSON_LINES,
    /** Event Hubs Capture's Avro files ({@code --schema=capture}). */
    CAPTURE,
    /** A Delta table of raw envelopes, read from its log ({@code --format=delta --schema=raw}). */
    DELTA
  }

  /** The same, writing {@code output}. */
  public static void verify(List<String> runner, List<String> streamingOnly, Output output) throws Exception {
    boolean capture = output == Output.CAPTURE;
    HubFixture hub = HubFixture.plain();
    // CreateTime, so that the events can be placed in windows of the past (the archive windows by the
    // record timestamp, the enqueue time on an AppendTime hub).
    String topic = hub.newCreateTimeTopic("archive-restart", PARTITIONS);
    String group = topic + "-cg";
    Path out = Files.createTempDirectory("ehbeam-archive-restart-");
    List<String> args = new ArrayList<>(List.of("--bootstrapServers=" + hub.bootstrapServers(), "--inputTopic=" + topic,
        "--consumerGroup=" + group, "--outputDirectory=" + out, "--windowSeconds=60"));
    args.addAll(switch (output) {
      case JSON_LINES -> List.of("--format=json");
      case CAPTURE -> List.of("--schema=capture");
      case DELTA -> List.of("--format=delta", "--schema=raw");
    });
    args.addAll(runner);
    List<String> streaming = new ArrayList<>(args);
    streaming.addAll(streamingOnly);

    long windowStart = (System.currentTimeMillis() - Duration.ofHours(2).toMillis()) / 60_000 * 60_000;
    try (Producer<byte[], byte[]> producer = hub.producer()) {
      for (int p = 0; p < PARTITIONS; p++) {
        for (int k = 0; k < OLD_EVENTS; k++) {
          // k = 61 (in window 3 by its place) is enqueued 8 s before window 3 starts: window 2's.
          long ts = windowStart + (k == KEPT_FROM + 1 ? 3 * 60_000 - 8_000 : k * 3_000L);
          producer.send(new ProducerRecord<>(topic, p, ts, ("k" + p).getBytes(UTF_8),
              ("{\"old\":" + (p * OLD_EVENTS + k) + "}").getBytes(UTF_8)));
        }
      }
    }

    Path log = Files.createTempFile("archive-restart", ".log");
    Process first = OwnJvm.start("archive", streaming, log);
    AtomicLong written = new AtomicLong(PARTITIONS * OLD_EVENTS);
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService writer = Executors.newSingleThreadExecutor();
    Future<?> writes = null;
    try {
      // The old windows in files and committed on every partition. Only then the live events: had
      // they come first, a slow start (a busy machine) could write and commit their window with the
      // old ones, and the restart would then read none of the old windows again.
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
        assertThat(first.isAlive()).as("the archive runs; its log: " + log).isTrue();
        return hub.committed(group, topic, PARTITIONS).values().stream().allMatch(o -> o != null && o >= KEPT_FROM);
      });
      writes = writer.submit(() -> {
        Random jitter = new Random(42);
        try (Producer<byte[], byte[]> producer = hub.producer()) {
          for (long n = 0; writing.get(); n++) {
            int p = (int) (n % PARTITIONS);
            long ts = System.currentTimeMillis() - jitter.nextInt(10_000);
            producer.send(new ProducerRecord<>(topic, p, ts, ("k" + p).getBytes(UTF_8), ("{\"n\":" + n + "}").getBytes(UTF_8)));
            written.incrementAndGet();
            Thread.sleep(1000 / 30); // the load's rate, not a wait for a condition
          }
          producer.flush();
        }
        return null;
      });
      // A few seconds of live events: their window (it closes 30 s after its minute at the earliest)
      // is open in the archive's memory when it is killed.
      await().atMost(Duration.ofMinutes(1)).until(() -> written.get() > PARTITIONS * OLD_EVENTS + 90);
      assertThat(first.isAlive()).as("the archive runs until killed; its log: " + log).isTrue();
      first.destroyForcibly().waitFor();
      assertThat(switch (output) {
        case JSON_LINES -> files(out);
        case CAPTURE -> captureFiles(out);
        case DELTA -> ArchiveFiles.readDelta(out).files();
      }).as("windows written before the kill").isNotEmpty();
      assertThat(hub.committed(group, topic, PARTITIONS).values()).as("committed at the kill: within the old windows")
          .allMatch(o -> o < OLD_EVENTS);
      long atKill = written.get();
      await().atMost(Duration.ofMinutes(1)).until(() -> written.get() > atKill + 150);
    } finally {
      writing.set(false);
      if (writes != null) {
        writes.get();
      }
      writer.shutdown();
      first.destroyForcibly().waitFor();
    }

    // Started again with the same group; this time to the end of what is there, then stopping.
    List<String> again = new ArrayList<>(args);
    again.add("--stopAtEnd=true");
    Jobs.Outcome outcome = ArchivePipeline.run(
        PipelineOptionsFactory.fromArgs(again.toArray(new String[0])).as(ArchivePipeline.Options.class));
    assertThat(outcome.state()).isEqualTo(PipelineResult.State.DONE);
    Map<String, Integer> seen = new HashMap<>();
    assertThat(outcome.counter("alreadyArchived")).as("events of windows already in files, read again").isPositive();
    assertThat(outcome.counter("archived") + outcome.counter("alreadyArchived")).isEqualTo(outcome.counter("read"));
    if (output == Output.DELTA) {
      // The kept windows' events the table held before the kill are not written again.
      assertThat(outcome.counter("deltaFilesOverlapping")).as("files holding events the table held").isZero();
      for (Map<String, Object> row : ArchiveFiles.readDelta(out).rows()) {
        seen.merge(row.get("partition") + "/" + row.get("offset"), 1, Integer::sum);
      }
    }

    if (capture) {
      // <namespace>/<hub>/<partition>/yyyy/MM/dd/HH/mm/ss.avro; Capture's record holds the offset as SequenceNumber.
      for (Path file : captureFiles(out)) {
        String partition = out.relativize(file).getName(2).toString();
        for (org.apache.avro.generic.GenericRecord r : ArchiveFiles.readAvro(file)) {
          seen.merge(partition + "/" + r.get("SequenceNumber"), 1, Integer::sum);
        }
      }
    }
    for (Path file : files(out)) {
      for (String line : Files.readAllLines(file)) {
        var e = Json.MAPPER.readTree(line);
        seen.merge(e.get("partition").asInt() + "/" + e.get("offset").asLong(), 1, Integer::sum);
      }
    }
    Map<String, Integer> twice = seen.entrySet().stream().filter(e -> e.getValue() > 1)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertThat(twice).as("events archived more than once").isEmpty();
    assertThat(seen).as("every event archived").hasSize((int) written.get());
    try (Stream<Path> all = Files.walk(out)) {
      assertThat(all.filter(p -> p.getFileName().toString().endsWith(".tmp"))).as("no temporary files left").isEmpty();
    }
  }

  private static List<Path> files(Path dir) throws IOException {
    return ArchiveFiles.files(dir, ".jsonl");
  }

  private static List<Path> captureFiles(Path dir) throws IOException {
    List<Path> avro = ArchiveFiles.files(dir, ".avro");
    for (Path f : avro) {
      assertThat(dir.relativize(f).toString()).as("Capture's path").matches("[^/]+/[^/]+/\\d+/\\d{4}/\\d{2}/\\d{2}/\\d{2}/\\d{2}/\\d{2}(-late\\d+)?\\.avro");
    }
    return avro;
  }
}
