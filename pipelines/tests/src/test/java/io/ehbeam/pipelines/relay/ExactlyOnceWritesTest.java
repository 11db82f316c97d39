package io.ehbeam.pipelines.relay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.pipelines.testing.HubFixture;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.deadletter.DeadLetter;
import io.ehbeam.transforms.deadletter.WriteDeadLetters;
import io.ehbeam.transforms.io.WriteToHub;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * What the exactly-once writers put in the hub, read back by a {@code read_committed} consumer:
 * every record once, with its key, and every dead letter with its reason in the headers. Records
 * travel to the transactional producer in batches; this shows the batches come apart whole.
 */
class ExactlyOnceWritesTest {
  @Test
  void eventsAndDeadLettersArriveOnceWithTheirKeysAndHeaders() {
    HubFixture hub = HubFixture.plain();
    String output = hub.newTopic("eos-writes-out", 2);
    String deadLetters = hub.newTopic("eos-writes-deadletter", 2);
    KafkaEndpoint out = KafkaEndpoint.plainKafka(hub.bootstrapServers(), output);

    List<KV<byte[], byte[]>> events = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      events.add(KV.of(("device-" + i % 7).getBytes(UTF_8), ("{\"n\":" + i + "}").getBytes(UTF_8)));
    }
    List<DeadLetter> refused = List.of(
        new DeadLetter("k1".getBytes(UTF_8), "not json".getBytes(UTF_8), "not a JSON object", "StampEvents", "in", 0, 7, 1L),
        new DeadLetter(null, new byte[0], "empty record", "StampEvents", "in", 1, 9, 2L));

    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    pipeline.apply("Events", Create.of(events).withCoder(KvCoder.of(ByteArrayCoder.of(), ByteArrayCoder.of())))
        .apply("WriteOutput", WriteToHub.of(out, WriteToHub.Delivery.exactlyOnce(output + "-eos-output")));
    pipeline.apply("DeadLetters", Create.of(refused).withCoder(SerializableCoder.of(DeadLetter.class)))
        .apply("WriteDeadLetters", new WriteDeadLetters(out.withTopic(deadLetters),
            WriteToHub.Delivery.exactlyOnce(output + "-eos-deadletters")));
    assertThat(pipeline.run().waitUntilFinish()).isEqualTo(PipelineResult.State.DONE);

    Map<String, Long> copies = hub.readAll(output).stream()
        .collect(Collectors.groupingBy(r -> new String(r.key(), UTF_8) + "=" + new String(r.value(), UTF_8), Collectors.counting()));
    assertThat(copies).hasSize(2500).allSatisfy((record, n) -> assertThat(n).as(record).isEqualTo(1L));
    assertThat(copies).containsKey("device-3={\"n\":10}");

    List<ConsumerRecord<byte[], byte[]>> letters = hub.readAll(deadLetters);
    assertThat(letters).extracting(r -> new String(r.headers().lastHeader("deadletter.reason").value(), UTF_8))
        .containsExactlyInAnyOrder("not a JSON object", "empty record");
    assertThat(letters).extracting(r -> new String(r.headers().lastHeader("deadletter.offset").value(), UTF_8))
        .containsExactlyInAnyOrder("7", "9");
  }
}
