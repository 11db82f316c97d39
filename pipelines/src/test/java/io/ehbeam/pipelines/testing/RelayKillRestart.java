package io.ehbeam.pipelines.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The streaming relay, in its own JVM, killed with SIGKILL while events are still arriving (some
 * of them relayed, more on the way), then started again with the same consumer group: nothing is
 * lost. What the killed run wrote after its last committed offset may be written again (at least
 * once): duplicates are counted and printed for the notes.
 */
public final class RelayKillRestart {
  private RelayKillRestart() {}

  /** With {@code runner}'s options (empty: the DirectRunner); {@code name} labels the printed counts. */
  public static void verify(String name, List<String> runner) throws Exception {
    HubFixture hub = HubFixture.plain();
    String input = hub.newTopic("kill-in", 2);
    String output = input.replace("-in-", "-out-");
    List<String> common = List.of("--bootstrapServers=" + hub.bootstrapServers(), "--inputTopic=" + input,
        "--outputTopic=" + output, "--consumerGroup=" + input + "-cg");
    List<String> args = new ArrayList<>(common);
    args.addAll(runner);
    hub.write(input, NumberedEvents.range(0, 1000));

    java.nio.file.Path firstLog = Files.createTempFile("relay-kill-1", ".log");
    Process first = OwnJvm.start("relay", args, firstLog);
    try {
      await().atMost(Duration.ofSeconds(180)).until(() -> {
        assertThat(first.isAlive()).as("the relay runs; its log: %s", firstLog).isTrue();
        return NumberedEvents.countsIn(hub, output).size() >= 1000;
      });
    } catch (Throwable e) {
      first.destroyForcibly().waitFor();
      throw e;
    }
    // Input arrives from now on (20 s of it); the relay is killed once some of it is relayed.
    int sentAtTheKill;
    try (NumberedEvents.Arriving arriving = NumberedEvents.Arriving.start(hub, input, 1000, 3000)) {
      try {
        await().atMost(Duration.ofSeconds(120)).until(() -> NumberedEvents.countsIn(hub, output).size() >= 1100);
      } finally {
        sentAtTheKill = arriving.sent();
        first.destroyForcibly().waitFor();
      }
      assertThat(sentAtTheKill).as("events sent when the relay was killed: mid-stream").isBetween(1100, 2990);
      arriving.awaitDone(Duration.ofMinutes(3));
    }
    java.nio.file.Path secondLog = Files.createTempFile("relay-kill-2", ".log");
    Process second = OwnJvm.start("relay", args, secondLog);
    try {
      await().atMost(Duration.ofSeconds(180)).until(() -> NumberedEvents.countsIn(hub, output).size() >= 3000);
    } catch (Throwable e) {
      throw new AssertionError("the restarted relay did not relay every event (killed with " + sentAtTheKill
          + " sent); " + NumberedEvents.report(name, 3000, hub, output) + ", missing from " + missing(hub, output)
          + "; its log: " + secondLog, e);
    } finally {
      second.destroyForcibly().waitFor();
    }
    assertThat(NumberedEvents.countsIn(hub, output)).as("at least once: nothing lost").hasSize(3000);
    System.out.println(NumberedEvents.report(name, 3000, hub, output));
  }

  /** The first and last event numbers missing from {@code output}, for a failure message. */
  private static String missing(HubFixture hub, String output) {
    java.util.Set<String> seen = NumberedEvents.countsIn(hub, output).keySet();
    int[] lost = java.util.stream.IntStream.range(0, 3000).filter(n -> !seen.contains(String.valueOf(n))).toArray();
    return lost.length == 0 ? "none" : lost[0] + " to " + lost[lost.length - 1] + " (" + lost.length + ")";
  }
}
