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
    int sentAtTheKill;
    try (NumberedEvents.Arriving arriving = NumberedEvents.Arriving.start(hub, input, 1000, 3000)) {
      try {
        await().atMost(Duration.ofSeconds(180)).until(() -> NumberedEvents.countsIn(hub, output).size() >= 1000);
        // Killed once some of the arriving events are relayed, while more are still arriving.
        await().atMost(Duration.ofSeconds(120)).until(() -> NumberedEvents.countsIn(hub, output).size() >= 1100);
      } finally {
        sentAtTheKill = arriving.sent();
        first.destroyForcibly().waitFor();
      }
      assertThat(sentAtTheKill).as("events sent when the relay was killed: mid-stream").isBetween(1100, 2990);
      arriving.awaitDone(Duration.ofMinutes(3));
    }
    Process second = OwnJvm.start("relay", args, Files.createTempFile("relay-kill-2", ".log"));
    try {
      await().atMost(Duration.ofSeconds(180)).until(() -> NumberedEvents.countsIn(hub, output).size() >= 3000);
    } finally {
      second.destroyForcibly().waitFor();
    }
    assertThat(NumberedEvents.countsIn(hub, output)).as("at least once: nothing lost").hasSize(3000);
    System.out.println(NumberedEvents.report("relay kill -9 and restart", 3000, hub, output));
  }
}
