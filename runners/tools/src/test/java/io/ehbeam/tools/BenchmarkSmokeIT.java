package io.ehbeam.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ehbeam.localkafka.TestKafka;
import io.ehbeam.pipelines.testing.CapturedOutput;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.io.HubAdmin;
import io.ehbeam.transforms.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A small benchmark run (the laptop jar only): the result files' structure and exact counts, no timing. */
class BenchmarkSmokeIT {
  static CapturedOutput benchmark(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "benchmark";
    System.arraycopy(args, 0, command, 1, args.length);
    return CapturedOutput.of(() -> Tools.run(command));
  }

  /** The benchmark deletes what it created: its input and every run's outputs. */
  static void awaitNoTopicsStartingWith(String prefix) {
    try (HubAdmin admin = HubAdmin.connect(KafkaEndpoint.plainKafka(TestKafka.get().bootstrapServers(), null))) {
      Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(admin.topicNames()).noneMatch(t -> t.startsWith(prefix)));
    }
  }

  @Test
  void writesResultsTableAndChart() throws Exception {
    Path results = Path.of("target", "benchmark-smoke");
    CapturedOutput run = benchmark("--bootstrapServers=" + TestKafka.get().bootstrapServers(),
        "--events=3000", "--repeats=2", "--runners=direct", "--pipelines=aggregate",
        "--pipelinesRunner=direct", "--jobArguments=--kafkaProperty=consumer.max.poll.records=1000",
        "--resultsDirectory=" + results.toAbsolutePath());
    assertThat(run.exitCode).as(run.all()).isZero();
    Path dir;
    try (Stream<Path> dirs = Files.list(results)) {
      dir = dirs.sorted().reduce((a, b) -> b).orElseThrow();
    }
    JsonNode root = Json.MAPPER.readTree(dir.resolve("results.json").toFile());
    assertThat(root.get("repeats").asInt()).isEqualTo(2);
    assertThat(root.get("warmupBaselineRuns").asInt()).isEqualTo(1);
    assertThat(root.get("baseline").get("threads").asInt()).isPositive();
    assertThat(root.get("baseline").get("settings").toString()).contains("producer.linger.ms=5");
    assertThat(root.get("jobArguments").toString()).isEqualTo("[\"--kafkaProperty=consumer.max.poll.records=1000\"]");
    JsonNode rows = root.get("results");
    assertThat(rows).hasSize(3);
    List<String> runs = new ArrayList<>();
    for (JsonNode row : rows) {
      runs.add(row.get("pipeline").asText() + " on " + row.get("runner").asText());
      boolean relay = row.get("pipeline").asText().equals("relay");
      List<String> fields = new ArrayList<>();
      row.fieldNames().forEachRemaining(fields::add);
      // The aggregate's steady span runs from its first read (its log) to its last row written.
      List<String> expected = new ArrayList<>(List.of("pipeline", "runner", "events", "eventsPerSecond", "ratioToBaseline",
          "steadyEventsPerSecond", "steadyRatioToBaseline", "ratioSpread", "repeats", "peakRssBytes", "cpuMicrosPerEvent"));
      if (relay) {
        expected.add("backlogAgeMs");
      }
      assertThat(fields).containsExactlyElementsOf(expected);
      assertThat(row.get("events").asLong()).as("each pipeline read every event").isEqualTo(3000);
      assertThat(row.get("steadyEventsPerSecond").asDouble()).as("a steady span is within the wall span")
          .isGreaterThanOrEqualTo(row.get("eventsPerSecond").asDouble());
      assertThat(row.get("eventsPerSecond").asDouble()).isPositive();
      assertThat(row.get("peakRssBytes").asLong()).isPositive();
      assertThat(row.get("cpuMicrosPerEvent").asDouble()).as("a JVM's start alone is seconds of CPU").isGreaterThan(100);
      if (relay) {
        assertThat(row.get("backlogAgeMs").get("p99").asDouble()).isGreaterThanOrEqualTo(row.get("backlogAgeMs").get("p50").asDouble());
      }
      JsonNode repeats = row.get("repeats");
      if (row.get("runner").asText().equals("plain-kafka")) {
        // One baseline run before each of the 2 pipelines' 2 runs, each against the median of all four.
        assertThat(repeats).hasSize(4);
        assertThat(row.get("steadyRatioToBaseline").asDouble()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.002));
        assertThat(row.get("ratioSpread").get("min").asDouble()).isLessThanOrEqualTo(1.0);
        assertThat(row.get("ratioSpread").get("max").asDouble()).isGreaterThanOrEqualTo(1.0);
      } else {
        // Two repeats: the median is their mean; the spread holds it.
        assertThat(repeats).hasSize(2);
        double a = repeats.get(0).get("steadyRatioToBaseline").asDouble();
        double b = repeats.get(1).get("steadyRatioToBaseline").asDouble();
        assertThat(row.get("steadyRatioToBaseline").asDouble()).isCloseTo((a + b) / 2, org.assertj.core.data.Offset.offset(0.002));
        assertThat(row.get("ratioSpread").get("of").asText()).isEqualTo("steady");
        assertThat(row.get("ratioSpread").get("min").asDouble()).isCloseTo(Math.min(a, b), org.assertj.core.data.Offset.offset(0.001));
        assertThat(row.get("ratioSpread").get("max").asDouble()).isCloseTo(Math.max(a, b), org.assertj.core.data.Offset.offset(0.001));
        double w0 = repeats.get(0).get("ratioToBaseline").asDouble();
        double w1 = repeats.get(1).get("ratioToBaseline").asDouble();
        assertThat(row.get("ratioToBaseline").asDouble()).isCloseTo((w0 + w1) / 2, org.assertj.core.data.Offset.offset(0.002));
      }
      for (JsonNode r : repeats) {
        assertThat(r.get("baselineEventsPerSecond").asDouble()).isPositive();
        assertThat(r.get("eventsPerSecond").asDouble()).isPositive();
        assertThat(r.get("cpuMicrosPerEvent").asDouble()).isPositive();
      }
    }
    assertThat(runs).containsExactly("relay on plain-kafka", "relay on direct", "aggregate on direct");
    assertThat(Files.readString(dir.resolve("results.md"))).contains("| relay | plain-kafka | 3,000 |", "| relay | direct | 3,000 |",
        "| aggregate | direct | 3,000 |",
        "Medians of 2 repeats", "after one baseline run not counted", "Every pipeline run with: --kafkaProperty=consumer.max.poll.records=1000");
    byte[] png = Files.readAllBytes(dir.resolve("chart.png"));
    assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    awaitNoTopicsStartingWith("bench-");
  }

  @Test
  void liveModeCountsEveryEventInAndOutPerMinute() throws Exception {
    Path results = Path.of("target", "benchmark-live-smoke");
    CapturedOutput run = benchmark("--bootstrapServers=" + TestKafka.get().bootstrapServers(),
        "--durationSeconds=10", "--warmupSeconds=0", "--eventsPerSecond=300", "--runners=direct", "--simulatorRunner=direct", "--resultsDirectory=" + results.toAbsolutePath());
    assertThat(run.exitCode).as(run.all()).isZero();
    Path dir;
    try (Stream<Path> dirs = Files.list(results)) {
      dir = dirs.sorted().reduce((a, b) -> b).orElseThrow();
    }
    JsonNode runs = Json.MAPPER.readTree(dir.resolve("live.json").toFile()).get("runs");
    assertThat(runs).hasSize(1);
    JsonNode live = runs.get(0);
    assertThat(live.get("runner").asText()).isEqualTo("direct");
    assertThat(live.get("incoming").asLong()).isEqualTo(3000);
    assertThat(live.get("outgoing").asLong()).isEqualTo(3000);
    assertThat(live.get("steadyLatencyMs").get("p99").asDouble())
        .isGreaterThanOrEqualTo(live.get("steadyLatencyMs").get("p50").asDouble());
    long in = 0;
    long out = 0;
    long outBytes = 0;
    for (JsonNode minute : live.get("minutes")) {
      in += minute.get("incomingMessages").asLong();
      out += minute.get("outgoingMessages").asLong();
      outBytes += minute.get("outgoingBytes").asLong();
      if (minute.get("outgoingMessages").asLong() > 0) {
        assertThat(minute.get("latencyMs").get("p99").asDouble()).isGreaterThanOrEqualTo(minute.get("latencyMs").get("p50").asDouble());
      }
    }
    assertThat(in).isEqualTo(3000);
    assertThat(out).isEqualTo(3000);
    assertThat(outBytes).as("stamped events of about 1 KB").isBetween(3000L * 900, 3000L * 1200);
    assertThat(Files.readAllBytes(dir.resolve(live.get("chart").asText()))).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    assertThat(Files.readString(dir.resolve("live.md"))).contains("| minute (UTC) | incoming messages | incoming bytes | outgoing messages");
    awaitNoTopicsStartingWith("live-");
  }
}
