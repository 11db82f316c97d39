package io.ehbeam.runners.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ehbeam.pipelines.testing.SecretSearch;
import io.ehbeam.localkafka.TestKafka;
import io.ehbeam.pipelines.testing.HubFixture;
import io.ehbeam.pipelines.testing.NumberedEvents;
import io.ehbeam.pipelines.testing.StreamingRelay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streaming relay on Spark (local[2]) through the local hub's connection string: Spark's
 * checkpoint folder, which holds the serialized streaming graph with the Kafka source, holds the
 * reference to the connection string and never the key.
 */
class SparkCheckpointSecretsTest {
  @Test
  void theCheckpointFolderHoldsTheReferenceNotTheKey(@TempDir Path checkpoints) throws IOException {
    String connectionString = TestKafka.get().emulatorConnectionString();
    String key = connectionString.replaceAll(".*SharedAccessKey=([^;]+).*", "$1");
    HubFixture hub = HubFixture.plain();
    String input = hub.newTopic("spark-secret-in", 2);
    String output = input.replace("-in-", "-out-");
    hub.write(input, NumberedEvents.range(0, 200));
    PipelineResult relay = StreamingRelay.start("--runner=SparkRunner", "--sparkMaster=local[2]",
        "--checkpointDir=" + checkpoints.toUri(), "--batchIntervalMillis=500",
        "--inputConnectionString=" + connectionString, "--inputTopic=" + input, "--outputTopic=" + output,
        "--consumerGroup=" + input + "-cg");
    try {
      await().atMost(Duration.ofSeconds(180)).until(() -> NumberedEvents.countsIn(hub, output).size() >= 200);
      // Spark writes the streaming graph's checkpoint after a batch, on a thread of its own.
      await().atMost(Duration.ofSeconds(120)).until(() -> search(checkpoints, key)[1] > 0);
    } finally {
      relay.cancel();
    }
    int[] filesAndHolding = search(checkpoints, key);
    System.out.printf("spark checkpoint secret search: %d files, none holds the key, %d hold the reference%n",
        filesAndHolding[0], filesAndHolding[1]);
    assertThat(filesAndHolding[1]).as("checkpoint files holding the reference (the search reached job state)")
        .isPositive();
  }

  /** Asserts that no file under {@code folder} holds {@code key}; returns {files, files holding the reference}. */
  static int[] search(Path folder, String key) throws IOException {
    int[] filesAndHolding = new int[2];
    try (Stream<Path> all = Files.walk(folder)) {
      for (Path file : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
        String content = SecretSearch.readable(file);
        if (content == null) {
          continue; // Spark replaces its checkpoint files while the job runs
        }
        assertThat(content).as("%s holds the key", file).doesNotContain(key);
        filesAndHolding[0]++;
        filesAndHolding[1] += content.contains("${process:") ? 1 : 0;
      }
    } catch (java.io.UncheckedIOException walkRaced) {
      return new int[] {filesAndHolding[0], 0};
    }
    return filesAndHolding;
  }
}
