package io.ehbeam.pipelines.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ehbeam.pipelines.testing.HubFixture;
import io.ehbeam.pipelines.testing.NumberedEvents;
import io.ehbeam.pipelines.testing.OwnJvm;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The streaming relay (DirectRunner, its own JVM) is killed with SIGKILL while events flow, then
 * started again with the same consumer group: nothing is lost; what the killed run wrote after
 * its last committed offset would be written again (at least once): duplicates are counted and
 * printed for the notes.
 */
class RelayKillRestartTest {
  @Test
  void killedAndRestartedTheRelayLosesNothing() throws Exception {
    HubFixture hub = HubFixture.plain();
    String input = hub.newTopic("kill-in", 2);
    String output = input.replace("-in-", "-out-");
    List<String> args = List.of("--bootstrapServers=" + hub.bootstrapServers(), "--inputTopic=" + input,
        "--outputTopic=" + output, "--consumerGroup=" + input + "-cg");
    hub.write(input, NumberedEvents.range(0, 1000));

    Process first = OwnJvm.start("relay", args, Files.createTempFile("relay-kill-1", ".log"));
    try {
      await().atMost(Duration.ofSeconds(120)).until(() -> NumberedEvents.countsIn(hub, output).size() >= 1000);
      hub.write(input, NumberedEvents.range(1000, 1500));
      // Killed while the second batch is (or is about to be) under way.
      await().atMost(Duration.ofSeconds(60)).until(() -> hub.committed(input + "-cg", input, 2).values().stream()
          .filter(o -> o != null).mapToLong(Long::longValue).sum() >= 500);
    } finally {
      first.destroyForcibly().waitFor();
    }
    hub.write(input, NumberedEvents.range(1500, 2000));
    Process second = OwnJvm.start("relay", args, Files.createTempFile("relay-kill-2", ".log"));
    try {
      await().atMost(Duration.ofSeconds(120)).until(() -> NumberedEvents.countsIn(hub, output).size() >= 2000);
    } finally {
      second.destroyForcibly().waitFor();
    }
    assertThat(NumberedEvents.countsIn(hub, output)).hasSize(2000);
    System.out.println(NumberedEvents.report("relay kill -9 and restart", 2000, hub, output));
  }
}
