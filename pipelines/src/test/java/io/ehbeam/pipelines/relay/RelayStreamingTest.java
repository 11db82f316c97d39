package io.ehbeam.pipelines.relay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.pipelines.testing.HubFixture;
import io.ehbeam.transforms.connect.Hubs;
import java.time.Duration;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The relay as users run it by default: unbounded, committing offsets as checkpoints finalize. */
class RelayStreamingTest {
  private static List<Map.Entry<String, byte[]>> events(int from, int to) {
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    for (int i = from; i < to; i++) {
      records.add(new SimpleEntry<>("device-" + (i % 3), ("{\"eventId\":\"" + i + "\"}").getBytes(UTF_8)));
    }
    return records;
  }

  private static long committedTotal(HubFixture hub, String group, String topic) {
    return hub.committed(group, topic, 2).values().stream().filter(o -> o != null).mapToLong(Long::longValue).sum();
  }

  @Test
  void relaysWhatArrivesWhileRunningAndCommitsOffsets() throws Exception {
    HubFixture hub = HubFixture.plain();
    String input = hub.newTopic("stream-in", 2);
    String output = input.replace("-in-", "-out-");
    String group = input + "-cg";
    hub.write(input, events(0, 500));

    RelayPipeline.Options options =
        PipelineOptionsFactory.fromArgs(
                "--bootstrapServers=" + hub.bootstrapServers(), "--inputTopic=" + input,
                "--outputTopic=" + output, "--consumerGroup=" + group, "--blockOnRun=false")
            .as(RelayPipeline.Options.class);
    Hubs hubs = Hubs.resolve(options, RelayPipeline.DEFAULT_CONSUMER_GROUP);
    Jobs.prepareTopics(options, hubs.input(), hubs.output(), hubs.deadLetter(options));
    Pipeline pipeline = Pipeline.create(options);
    RelayPipeline.build(pipeline, options, hubs, hubs.deadLetter(options), null);
    PipelineResult result = pipeline.run();
    try {
      await().atMost(Duration.ofSeconds(90)).until(() -> hub.readAll(output).size() >= 500);
      hub.write(input, events(500, 700));
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
