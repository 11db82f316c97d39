package io.ehbeam.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ehbeam.localkafka.TestKafka;
import io.ehbeam.pipelines.testing.CapturedOutput;
import io.ehbeam.transforms.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A small benchmark run (the laptop jar only): the result files' structure and exact counts, no timing. */
class BenchmarkSmokeIT {
  static CapturedOutput benchmark(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "benchmark";
    System.arraycopy(args, 0, command, 1, args.length);
    return CapturedOutput.of(() -> Tools.run(command));
  }

  @Test
  void writesResultsTableAndChart() throws Exception {
    Path results = Path.of("target", "benchmark-smoke");
    CapturedOutput run = benchmark("--bootstrapServers=" + TestKafka.get().bootstrapServers(),
        "--events=3000", "--runners=direct", "--flinkPipelines=", "--resultsDirectory=" + results.toAbsolutePath());
    assertThat(run.exitCode).as(run.all()).isZero();
    Path dir;
    try (Stream<Path> dirs = Files.list(results)) {
      dir = dirs.sorted().reduce((a, b) -> b).orElseThrow();
    }
    JsonNode rows = Json.MAPPER.readTree(dir.resolve("results.json").toFile()).get("results");
    assertThat(rows).hasSize(2);
    List<String> runners = new ArrayList<>();
    for (JsonNode row : rows) {
      runners.add(row.get("runner").asText());
      List<String> fields = new ArrayList<>();
      row.fieldNames().forEachRemaining(fields::add);
      assertThat(fields).containsExactly("pipeline", "runner", "events", "eventsPerSecond", "ratioToBaseline", "peakRssBytes", "latencyMs");
      assertThat(row.get("pipeline").asText()).isEqualTo("relay");
      assertThat(row.get("events").asLong()).isEqualTo(3000);
      assertThat(row.get("eventsPerSecond").asDouble()).isPositive();
      assertThat(row.get("ratioToBaseline").asDouble()).isPositive();
      assertThat(row.get("peakRssBytes").asLong()).isPositive();
      assertThat(row.get("latencyMs").get("p99").asDouble()).isGreaterThanOrEqualTo(row.get("latencyMs").get("p50").asDouble());
    }
    assertThat(runners).containsExactly("plain-kafka", "direct");
    assertThat(rows.get(0).get("ratioToBaseline").asDouble()).isEqualTo(1.0);
    assertThat(Files.readString(dir.resolve("results.md"))).contains("| relay | plain-kafka | 3,000 |", "| relay | direct | 3,000 |");
    byte[] png = Files.readAllBytes(dir.resolve("chart.png"));
    assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
  }

  @Test
  void liveModeCountsEveryEventInAndOutPerMinute() throws Exception {
    Path results = Path.of("target", "benchmark-live-smoke");
    CapturedOutput run = benchmark("--bootstrapServers=" + TestKafka.get().bootstrapServers(),
        "--durationSeconds=10", "--eventsPerSecond=300", "--runners=direct", "--simulatorRunner=direct", "--resultsDirectory=" + results.toAbsolutePath());
    assertThat(run.exitCode).as(run.all()).isZero();
    Path dir;
    try (Stream<Path> dirs = Files.list(results)) {
      dir = dirs.sorted().reduce((a, b) -> b).orElseThrow();
    }
    JsonNode live = Json.MAPPER.readTree(dir.resolve("live.json").toFile());
    assertThat(live.get("incoming").asLong()).isEqualTo(3000);
    assertThat(live.get("outgoing").asLong()).isEqualTo(3000);
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
    assertThat(Files.readString(dir.resolve("live.md"))).contains("| minute (UTC) | incoming messages | incoming bytes | outgoing messages");
  }
}
