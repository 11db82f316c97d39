package io.ehbeam.pipelines.relay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ehbeam.pipelines.testing.HubFixture;
import io.ehbeam.pipelines.testing.NumberedEvents;
import io.ehbeam.pipelines.testing.StreamingRelay;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The relay as users run it by default: unbounded, committing offsets as checkpoints finalize. */
class RelayStreamingTest {
  private static long committedTotal(HubFixture hub, String group, String topic) {
    return hub.committed(group, topic, 2).values().stream().filter(o -> o != null).mapToLong(Long::longValue).sum();
  }

  @Test
  void relaysWhatArrivesWhileRunningAndCommitsOffsets() throws Exception {
    HubFixture hub = HubFixture.plain();
    String input = hub.newTopic("stream-in", 2);
    String output = input.replace("-in-", "-out-");
    String group = input + "-cg";
    hub.write(input, NumberedEvents.range(0, 500));

    PipelineResult result = StreamingRelay.start("--bootstrapServers=" + hub.bootstrapServers(), "--inputTopic=" + input,
        "--outputTopic=" + output, "--consumerGroup=" + group);
    try {
      await().atMost(Duration.ofSeconds(90)).until(() -> hub.readAll(output).size() >= 500);
      hub.write(input, NumberedEvents.range(500, 700));
      await().atMost(Duration.ofSeconds(90)).until(() -> hub.readAll(output).size() >= 700);
      // Offsets follow the finalized checkpoints. KafkaIO commits a finalized mark from the reader
      // that made it; on the DirectRunner the newest mark before an idle spell can stay uncommitted
      // until more data flows (a restart re-reads those few records: at least once). So: committed
      // offsets must pass the first batch, not reach the very end.
      await().atMost(Duration.ofSeconds(90)).until(() -> committedTotal(hub, group, input) >= 500);
    } finally {
      result.cancel();
    }
    List<ConsumerRecord<byte[], byte[]>> out = hub.readAll(output);
    Set<String> ids = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : out) {
      String value = new String(r.value(), UTF_8);
      assertThat(value).contains("\"enqueuedAt\":", "\"processedAt\":");
      ids.add(value.substring(value.indexOf(":\"") + 2, value.indexOf("\",")));
    }
    assertThat(out).hasSize(700);
    assertThat(ids).hasSize(700);
  }
}
