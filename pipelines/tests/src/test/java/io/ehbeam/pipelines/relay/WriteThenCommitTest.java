package io.ehbeam.pipelines.relay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ehbeam.pipelines.testing.HubFixture;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.io.WriteThenCommit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.KV;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The writer that commits its input only after the hubs took its records: everything lands once,
 * each on its own topic, and the group ends past the last input position of each partition; a
 * record the hub refuses fails the run before any commit.
 */
class WriteThenCommitTest {
  private final HubFixture hub = HubFixture.plain();

  @Test
  void writesEveryRecordToItsTopicThenCommitsPastTheLastPosition() {
    String input = hub.newTopic("wtc-in", 2);
    String output = hub.newTopic("wtc-out", 2);
    String deadLetters = hub.newTopic("wtc-deadletter", 1);
    List<KV<KV<Integer, Long>, ProducerRecord<byte[], byte[]>>> records = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      int partition = i % 2;
      long offset = 100 + i / 2;
      String topic = i % 50 == 0 ? deadLetters : output;
      records.add(KV.of(KV.of(partition, offset), new ProducerRecord<>(topic, ("k" + i).getBytes(UTF_8), ("v" + i).getBytes(UTF_8))));
    }

    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    inputOrder(pipeline, records).apply(writer(input, output, deadLetters, "wtc-group"));
    assertThat(pipeline.run().waitUntilFinish()).isEqualTo(PipelineResult.State.DONE);

    Map<String, Long> copies = hub.readAll(output).stream()
        .collect(Collectors.groupingBy(r -> new String(r.value(), UTF_8), Collectors.counting()));
    assertThat(copies).hasSize(588).containsEntry("v1", 1L).doesNotContainKey("v50");
    assertThat(hub.readAll(deadLetters)).extracting(r -> new String(r.value(), UTF_8))
        .hasSize(12).contains("v0", "v50", "v550");
    // 300 positions per partition, from offset 100: the group is at 400 on both.
    assertThat(hub.committed("wtc-group", input, 2)).containsEntry(0, 400L).containsEntry(1, 400L);
  }

  @Test
  void aRecordTheHubRefusesFailsTheRunAndCommitsNothing() {
    String input = hub.newTopic("wtc-refused-in", 1);
    String output = hub.newTopic("wtc-refused-out", 1);
    byte[] tooLarge = new byte[hub.maxEventBytes() + 1024];
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    inputOrder(pipeline, List.of(
            KV.of(KV.of(0, 0L), new ProducerRecord<>(output, "a".getBytes(UTF_8), "fits".getBytes(UTF_8))),
            KV.of(KV.of(0, 1L), new ProducerRecord<>(output, "b".getBytes(UTF_8), tooLarge))))
        .apply(writer(input, output, output + "-unused", "wtc-refused-group"));

    assertThatThrownBy(() -> pipeline.run().waitUntilFinish()).hasMessageContaining("did not take every record");
    assertThat(hub.committed("wtc-refused-group", input, 1).get(0)).as("committed offset").isNull();
    assertThat(hub.readAll(output)).extracting(r -> new String(r.value(), UTF_8)).containsOnly("fits");
  }

  /** The records in one bundle, in list order, as a partition's records come from the read. */
  private static PCollection<KV<KV<Integer, Long>, ProducerRecord<byte[], byte[]>>> inputOrder(
      Pipeline pipeline, List<KV<KV<Integer, Long>, ProducerRecord<byte[], byte[]>>> records) {
    return pipeline.apply(Create.of(List.of(records)).withCoder(ListCoder.of(WriteThenCommit.coder())))
        .apply(Flatten.iterables())
        .setCoder(WriteThenCommit.coder());
  }

  private WriteThenCommit writer(String input, String output, String deadLetters, String group) {
    KafkaEndpoint in = KafkaEndpoint.plainKafka(hub.bootstrapServers(), input);
    return WriteThenCommit.committing(in, group)
        .to(in.withTopic(output), "written")
        .to(in.withTopic(deadLetters), "deadLettered");
  }
}
