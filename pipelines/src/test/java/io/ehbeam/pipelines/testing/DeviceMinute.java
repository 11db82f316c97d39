package io.ehbeam.pipelines.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ehbeam.transforms.model.DeviceEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One minute of device readings two hours ago, for the aggregate under faults (devices preset):
 * once the read is caught up the watermark passes the minute, so its ON_TIME row comes at once;
 * readings written later update it as LATE panes (accumulating). Expected statistics are computed
 * here, independently of the job.
 */
public final class DeviceMinute {
  private DeviceMinute() {}

  /** Readings {@code from} to {@code to} of devices of every type, in {@code minute}; adds them to {@code expected}. */
  public static void write(HubFixture hub, String topic, Instant minute, int from, int to, Map<String, double[]> expected) {
    try (Producer<byte[], byte[]> producer = hub.producer()) {
      int partitions = producer.partitionsFor(topic).size();
      for (int i = from; i < to; i++) {
        DeviceEvent e = DeviceEvent.of(7, i, 10, DeviceEvent.DEFAULT_DEVICE_PREFIX, minute);
        producer.send(new ProducerRecord<>(topic, i % partitions, minute.toEpochMilli() + i * 100L, e.deviceId.getBytes(UTF_8), e.toJson()));
        AggregateScenario.accumulate(expected, e.type, e.value);
      }
      producer.flush();
    }
  }

  /** Until the newest row of each device type counts every reading written so far. */
  public static void awaitRows(HubFixture hub, String output, Map<String, double[]> expected, Runnable stillRunning) {
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      stillRunning.run();
      Map<String, JsonNode> latest = latestRows(hub, output);
      return expected.entrySet().stream().allMatch(e -> latest.containsKey(e.getKey())
          && latest.get(e.getKey()).get("count").asLong() == (long) e.getValue()[0]);
    });
  }

  /** Per device type, the row with the highest count (panes accumulate: the newest). */
  public static Map<String, JsonNode> latestRows(HubFixture hub, String output) {
    Map<String, JsonNode> latest = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : hub.readAll(output)) {
      JsonNode row = RelayScenario.read(r.value());
      latest.merge(row.get("type").asText(), row, (a, b) -> a.get("count").asLong() >= b.get("count").asLong() ? a : b);
    }
    return latest;
  }

  /** The newest row of each type equals the statistics computed from the readings, exactly once each. */
  public static void assertRows(HubFixture hub, String output, Map<String, double[]> expected) {
    Map<String, JsonNode> latest = latestRows(hub, output);
    assertThat(latest.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (Map.Entry<String, double[]> e : expected.entrySet()) {
      AggregateScenario.assertStats(latest.get(e.getKey()), e.getValue(), e.getKey());
    }
  }

  /** For the notes: readings in, and what the newest rows count. */
  public static String report(String fault, int in, HubFixture hub, String output) {
    Map<String, JsonNode> latest = latestRows(hub, output);
    return String.format("%s: in=%d aggregated=%d (per type %s)", fault, in,
        latest.values().stream().mapToLong(r -> r.get("count").asLong()).sum(),
        latest.entrySet().stream().map(r -> r.getKey() + "=" + r.getValue().get("count").asLong() + " "
            + r.getValue().get("timing").asText()).toList());
  }
}
