package io.ehbeam.pipelines.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.transforms.json.Json;
import io.ehbeam.transforms.testing.ArchiveFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A fault under a streaming archive (60 s windows of enqueue time, JSON lines): a first batch of
 * events from two hours ago is archived (the watermark jumps to now once the read is caught up,
 * so those windows close at once); then the fault; then a second batch, enqueued now, whose window
 * closes a minute or so later. The streaming job must have archived both by itself; then it is
 * stopped and run again bounded with the same group, as a restart would: every event must be in
 * the files exactly once.
 */
public final class ArchiveFaultScenario {
  private static final int PARTITIONS = 3;
  private static final int BATCH = 300;

  /** A streaming archive started somewhere (its own JVM, a Flink cluster), as the runner runs it. */
  public interface StreamingJob {
    boolean isRunning();

    void stop();
  }

  private ArchiveFaultScenario() {}

  /**
   * @param start starts the streaming archive with the given arguments (adding the runner's own)
   * @param fault the fault, once the first batch is in files; it returns when the fault is over
   * @param replay runs the bounded restart, with {@code replayArgs} (the runner's) added
   */
  public static void run(String name, HubFixture hub, java.util.function.Function<List<String>, StreamingJob> start,
      Runnable fault, JobLauncher replay, String... replayArgs) throws IOException {
    // CreateTime, so that the first batch can be placed in windows of two hours ago.
    String topic = hub.newCreateTimeTopic(name, PARTITIONS);
    Path out = Files.createTempDirectory("ehbeam-" + name);
    List<String> args = new ArrayList<>(List.of("--bootstrapServers=" + hub.bootstrapServers(), "--inputTopic=" + topic,
        "--consumerGroup=" + topic + "-cg", "--outputDirectory=" + out, "--format=json", "--windowSeconds=60"));

    long twoHoursAgo = System.currentTimeMillis() - Duration.ofHours(2).toMillis();
    write(hub, topic, 0, i -> twoHoursAgo + i * 1000L); // five minutes of events: five windows
    StreamingJob job = start.apply(args);
    try {
      awaitArchived(out, BATCH, job);
      fault.run();
      // Enqueued now, well ahead of the watermark (now - 30 s) so not late even if read a few
      // seconds after a stale backlog check let the watermark move on; its window closes within ~80 s.
      long now = System.currentTimeMillis();
      write(hub, topic, BATCH, i -> now - 10_000);
      awaitArchived(out, 2 * BATCH, job);
    } finally {
      job.stop();
    }

    // A restart with the same group: reads from the commit, writes nothing twice.
    List<String> again = new ArrayList<>(args);
    again.add("--stopAtEnd=true");
    again.addAll(Arrays.asList(replayArgs));
    Jobs.Outcome replayed = replay.run("archive", again);
    assertThat(replayed.state()).isEqualTo(PipelineResult.State.DONE);
    assertThat(replayed.counter("archived") + replayed.counter("alreadyArchived")).isEqualTo(replayed.counter("read"));

    Map<String, Integer> copies = archived(out);
    long lines = copies.values().stream().mapToLong(Integer::longValue).sum();
    System.out.printf("archive, %s: in=%d archived=%d distinct=%d duplicates=%d lost=%d%n", name, 2 * BATCH, lines,
        copies.size(), lines - copies.size(), 2 * BATCH - copies.size());
    assertThat(copies).as("partition/offset of every event archived").hasSize(2 * BATCH)
        .allSatisfy((event, n) -> assertThat(n).as("copies of %s", event).isEqualTo(1));
    try (Stream<Path> all = Files.walk(out)) {
      assertThat(all.filter(p -> p.getFileName().toString().endsWith(".tmp"))).as("no temporary files left").isEmpty();
    }
  }

  private static void write(HubFixture hub, String topic, int first, java.util.function.IntToLongFunction enqueuedAt) {
    try (Producer<byte[], byte[]> producer = hub.producer()) {
      for (int i = 0; i < BATCH; i++) {
        int p = i % PARTITIONS;
        producer.send(new ProducerRecord<>(topic, p, enqueuedAt.applyAsLong(i), ("k" + p).getBytes(UTF_8),
            ("{\"n\":" + (first + i) + "}").getBytes(UTF_8)));
      }
      producer.flush();
    }
  }

  private static void awaitArchived(Path out, int events, StreamingJob job) {
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      assertThat(job.isRunning()).as("%s runs", job).isTrue();
      return archived(out).size() >= events;
    });
  }

  /** partition/offset of each archived event, with how many times it is in the files. */
  static Map<String, Integer> archived(Path out) throws IOException {
    Map<String, Integer> seen = new HashMap<>();
    for (Path file : ArchiveFiles.files(out, ".jsonl")) {
      for (String line : Files.readAllLines(file)) {
        JsonNode e = Json.MAPPER.readTree(line);
        seen.merge(e.get("partition").asInt() + "/" + e.get("offset").asLong(), 1, Integer::sum);
      }
    }
    return seen;
  }

  /** The archive in a JVM of its own (DirectRunner), as {@code ./run archive} runs it. */
  public static StreamingJob inOwnJvm(List<String> args) {
    try {
      Path log = Files.createTempFile("ehbeam-archive", ".log");
      Process process = OwnJvm.start("archive", args, log);
      return new StreamingJob() {
        @Override
        public boolean isRunning() {
          return process.isAlive();
        }

        @Override
        public void stop() {
          process.destroyForcibly();
          try {
            process.waitFor();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }

        @Override
        public String toString() {
          return "the archive (log " + log + ")";
        }
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
