package io.ehbeam.pipelines.faults;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ehbeam.localkafka.LocalKafka;
import io.ehbeam.pipelines.testing.AggregateScenario;
import io.ehbeam.pipelines.testing.HubFixture;
import io.ehbeam.pipelines.testing.OwnJvm;
import io.ehbeam.pipelines.testing.RelayScenario;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.model.DeviceEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The broker stops and starts again under the streaming aggregate (devices preset, DirectRunner,
 * its own JVM): its state survives, and the minute's statistics, updated by readings that arrive
 * after the restart, are those of every reading. Its own broker.
 *
 * <p>The readings are of a minute two hours ago: once the read is caught up the watermark passes
 * it, so its ON_TIME row comes at once; the second batch then updates it as LATE panes (accumulating).
 */
class AggregateBrokerRestartTest {
  private static final int PARTITIONS = 3;

  @Test
  void theAggregateKeepsItsStateThroughABrokerRestart() throws Exception {
    LocalKafka broker = new LocalKafka(Files.createTempDirectory("ehbeam-aggregate-broker"), LocalKafka.freePort(),
        LocalKafka.freePort(), null);
    broker.start(true);
    try {
      HubFixture hub = new HubFixture(KafkaEndpoint.plainKafka(broker.bootstrapServers(), null));
      String input = hub.newTopic("aggregate-restart-in", PARTITIONS);
      String output = input.replace("-in-", "-out-");
      Instant minute = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MINUTES);
      Map<String, double[]> expected = new HashMap<>();
      write(hub, input, minute, 0, 300, expected);

      Path log = Files.createTempFile("ehbeam-aggregate", ".log");
      Process job = OwnJvm.start("aggregate", List.of("--preset=devices", "--bootstrapServers=" + broker.bootstrapServers(),
          "--inputTopic=" + input, "--outputTopic=" + output, "--consumerGroup=" + input + "-cg", "--console=false"), log);
      try {
        awaitRows(hub, output, expected, job, log);
        broker.stop();
        broker.start(true);
        write(hub, input, minute, 300, 500, expected);
        awaitRows(hub, output, expected, job, log);
      } finally {
        job.destroyForcibly().waitFor();
      }
      Map<String, JsonNode> latest = latestRows(hub, output);
      for (Map.Entry<String, double[]> e : expected.entrySet()) {
        AggregateScenario.assertStats(latest.get(e.getKey()), e.getValue(), e.getKey());
      }
      System.out.printf("aggregate broker restart: in=500 aggregated=%d (per type %s)%n",
          latest.values().stream().mapToLong(r -> r.get("count").asLong()).sum(),
          latest.entrySet().stream().map(r -> r.getKey() + "=" + r.getValue().get("count").asLong() + " " + r.getValue().get("timing").asText()).toList());
    } finally {
      broker.reset();
    }
  }

  private static void write(HubFixture hub, String topic, Instant minute, int from, int to, Map<String, double[]> expected) {
    try (Producer<byte[], byte[]> producer = hub.producer()) {
      for (int i = from; i < to; i++) {
        DeviceEvent e = DeviceEvent.of(7, i, 10, DeviceEvent.DEFAULT_DEVICE_PREFIX, minute);
        producer.send(new ProducerRecord<>(topic, i % PARTITIONS, minute.toEpochMilli() + i * 100L, e.deviceId.getBytes(UTF_8), e.toJson()));
        AggregateScenario.accumulate(expected, e.type, e.value);
      }
      producer.flush();
    }
  }

  /** Until the newest row of each device type counts every reading written so far. */
  private static void awaitRows(HubFixture hub, String output, Map<String, double[]> expected, Process job, Path log) {
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      assertThat(job.isAlive()).as("the aggregate runs; its log: %s", log).isTrue();
      Map<String, JsonNode> latest = latestRows(hub, output);
      return expected.entrySet().stream().allMatch(e -> latest.containsKey(e.getKey())
          && latest.get(e.getKey()).get("count").asLong() == (long) e.getValue()[0]);
    });
  }

  /** Per device type, the row with the highest count (panes accumulate: the newest). */
  private static Map<String, JsonNode> latestRows(HubFixture hub, String output) {
    Map<String, JsonNode> latest = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : hub.readAll(output)) {
      JsonNode row = RelayScenario.read(r.value());
      latest.merge(row.get("type").asText(), row, (a, b) -> a.get("count").asLong() >= b.get("count").asLong() ? a : b);
    }
    return latest;
  }
}
