package io.ehbeam.pipelines.common;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.pipelines.relay.RelayPipeline;
import io.ehbeam.pipelines.testing.HubFixture;
import io.ehbeam.pipelines.testing.NumberedEvents;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** A job built by the launcher hands back what its sinks receive, to be checked or composed. */
class LauncherTest {
  @Test
  void aBuiltJobReturnsItsResultsAndDeadLetters() {
    HubFixture hub = HubFixture.plain();
    String input = hub.newTopic("launcher-in", 2);
    List<Map.Entry<String, byte[]>> records = new ArrayList<>(NumberedEvents.range(0, 40));
    records.add(new SimpleEntry<>("bad", "not json".getBytes(UTF_8)));
    records.add(new SimpleEntry<>("bad", "[1]".getBytes(UTF_8)));
    hub.write(input, records);

    RelayPipeline.Options options = JobArguments.parse(new String[] {"--bootstrapServers=" + hub.bootstrapServers(),
        "--inputTopic=" + input, "--outputTopic=" + input.replace("-in-", "-out-"), "--stopAtEnd=true",
        // A bounded read: Count.globally needs the end of the input in the global window.
        "--plannedRead=BOUNDED_SOURCES"},
        RelayPipeline.Options.class, false);
    Launcher.Prepared prepared = Launcher.prepare(RelayPipeline.JOB, options);
    // The relay's dead letters travel among its results, as the records the dead-letter hub gets.
    assertThat(prepared.outputs().deadLetters()).isNull();
    @SuppressWarnings("unchecked")
    PCollection<ProducerRecord<byte[], byte[]>> results =
        (PCollection<ProducerRecord<byte[], byte[]>>) prepared.outputs().results();
    PAssert.that(results.apply("Topics", MapElements.into(TypeDescriptors.strings()).via(ProducerRecord::topic))
            .apply("CountPerTopic", Count.perElement()))
        .containsInAnyOrder(KV.of(input.replace("-in-", "-out-"), 40L),
            KV.of(input.replace("-in-", "-out-") + "-deadletter", 2L));

    assertThat(prepared.pipeline().run().waitUntilFinish()).isEqualTo(PipelineResult.State.DONE);
    assertThat(NumberedEvents.countsIn(hub, input.replace("-in-", "-out-"))).hasSize(40);
  }

  @Test
  void aRelayCommittingAfterItsWritesRefusesDedupWhichReordersItsInput() {
    HubFixture hub = HubFixture.plain();
    String input = hub.newTopic("launcher-order-in", 1);
    RelayPipeline.Options options = JobArguments.parse(new String[] {"--bootstrapServers=" + hub.bootstrapServers(),
        "--inputTopic=" + input, "--outputTopic=" + input.replace("-in-", "-out-"), "--commitOffsets=AFTER_WRITTEN",
        "--dedup=true"}, RelayPipeline.Options.class, false);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Launcher.prepare(RelayPipeline.JOB, options))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--dedup").hasMessageContaining("--commitOffsets=WHEN_CHECKPOINTED");
  }
}
