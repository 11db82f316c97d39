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
    PAssert.thatSingleton(prepared.outputs().results().apply("CountResults", Count.globally())).isEqualTo(40L);
    PAssert.thatSingleton(prepared.outputs().deadLetters().apply("CountDeadLetters", Count.globally())).isEqualTo(2L);

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
