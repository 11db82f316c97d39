package io.ehbeam.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.io.HubAdmin;
import io.ehbeam.transforms.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code ./run benchmark --durationSeconds=N}: the streaming-at-scale sample's load test on one machine. The simulator
 * (on Flink) sends {@code --eventsPerSecond} to an input topic while the relay runs (unbounded, as in
 * production) on the first of {@code --runners}; a monitor reads both topics and prints, per
 * minute, the messages and bytes that came into the input (by their enqueue time) and that went out
 * of the relay (by {@code processedAt}), with the latency {@code processedAt − enqueuedAt}.
 * Writes {@code live.json} and {@code live.md} next to the batch results.
 */
final class LiveBenchmark {
  /** After the simulator is done, how long the relay may take to catch up. */
  private static final Duration DRAIN = Duration.ofSeconds(120);

  private LiveBenchmark() {}

  /** One minute of traffic. */
  static final class Minute {
    long incomingMessages;
    long incomingBytes;
    long outgoingMessages;
    long outgoingBytes;
    final List<Long> latencies = new ArrayList<>();
  }

  static int run(Benchmark.Options options, KafkaEndpoint broker, Path results) throws Exception {
    String runner = options.getRunners().split(",")[0].trim().toLowerCase(Locale.ROOT);
    if (runner.isEmpty()) {
      throw new IllegalArgumentException("live mode needs a runner in --runners (direct, flink or spark)");
    }
    String run = UUID.randomUUID().toString().substring(0, 8);
    String input = "live-in-" + run;
    String output = "live-out-" + run;
    try (HubAdmin admin = HubAdmin.connect(broker)) {
      admin.ensureTopic(input, options.getPartitions());
      admin.ensureTopic(output, options.getPartitions());
    }
    long expected = (long) options.getEventsPerSecond() * options.getDurationSeconds();
    System.out.printf("Live: the relay on %s, the simulator sending %,d events/s for %d s (%,d events).%n",
        runner, options.getEventsPerSecond(), options.getDurationSeconds(), expected);

    List<String> relay = RunnerJars.command(runner);
    relay.addAll(List.of("relay", "--bootstrapServers=" + broker.bootstrapServers(), "--inputTopic=" + input,
        "--outputTopic=" + output, "--consumerGroup=" + output + "-cg",
        "--runner=" + RunnerJars.runnerOption(runner)));
    // The simulator on Flink: its operators stream, so the pacing shows at the output. On the
    // DirectRunner a counted, paced run reaches the hub in bursts (each step's bundle is held
    // until it ends), which would measure the bursts rather than the relay.
    String simulatorRunner = options.getSimulatorRunner().trim().toLowerCase(Locale.ROOT);
    List<String> simulator = RunnerJars.command(simulatorRunner);
    simulator.addAll(List.of("simulate-devices", "--runner=" + RunnerJars.runnerOption(simulatorRunner),
        "--bootstrapServers=" + broker.bootstrapServers(),
        "--outputTopic=" + input, "--eventsPerSecond=" + options.getEventsPerSecond(),
        "--count=" + expected, "--duplicateEvery=0"));

    Path relayLog = results.resolve("live-relay.log");
    Path simulatorLog = results.resolve("live-simulator.log");
    Process relayProcess = new ProcessBuilder(relay).redirectErrorStream(true).redirectOutput(relayLog.toFile()).start();
    Process simulatorProcess = null;
    Map<Instant, Minute> minutes = new TreeMap<>();
    long peakRss = 0;
    long incoming = 0;
    long outgoing = 0;
    try (Consumer<byte[], byte[]> monitor = broker.newConsumer(null)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(input, output)) {
        monitor.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      monitor.assign(partitions);
      monitor.seekToBeginning(partitions);
      simulatorProcess = new ProcessBuilder(simulator).redirectErrorStream(true).redirectOutput(simulatorLog.toFile()).start();
      Instant drainUntil = null;
      while (drainUntil == null || Instant.now().isBefore(drainUntil)) {
        for (ConsumerRecord<byte[], byte[]> r : monitor.poll(Duration.ofMillis(500))) {
          int bytes = r.value() == null ? 0 : r.value().length;
          if (r.topic().equals(input)) {
            Minute m = minutes.computeIfAbsent(minuteOf(r.timestamp()), k -> new Minute());
            m.incomingMessages++;
            m.incomingBytes += bytes;
            incoming++;
          } else {
            JsonNode event = Json.MAPPER.readTree(r.value());
            long processedAt = Instant.parse(event.get("processedAt").asText()).toEpochMilli();
            Minute m = minutes.computeIfAbsent(minuteOf(processedAt), k -> new Minute());
            m.outgoingMessages++;
            m.outgoingBytes += bytes;
            m.latencies.add(processedAt - Instant.parse(event.get("enqueuedAt").asText()).toEpochMilli());
            outgoing++;
          }
        }
        peakRss = Math.max(peakRss, RunnerJars.rssBytes(relayProcess.pid()));
        if (!relayProcess.isAlive()) {
          throw new IllegalStateException("the relay stopped (exit " + relayProcess.exitValue() + "); its log: " + relayLog);
        }
        if (drainUntil == null && !simulatorProcess.isAlive()) {
          if (simulatorProcess.exitValue() != 0) {
            throw new IllegalStateException("the simulator failed; its log: " + simulatorLog);
          }
          drainUntil = Instant.now().plus(DRAIN);
        }
        if (drainUntil != null && incoming >= expected && outgoing >= incoming) {
          break;
        }
      }
    } finally {
      stop(relayProcess);
      if (simulatorProcess != null) {
        stop(simulatorProcess);
      }
    }
    String table = write(results, runner, options, minutes, incoming, outgoing, peakRss);
    System.out.println("\n" + table);
    System.out.println("Results in " + results);
    if (outgoing < incoming) {
      System.err.printf("error: the relay wrote %,d of %,d events within %d s after the simulator ended (log: %s)%n",
          outgoing, incoming, DRAIN.toSeconds(), relayLog);
      return 1;
    }
    return 0;
  }

  static Instant minuteOf(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.MINUTES);
  }

  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /** live.md (the streaming-at-scale sample's per-minute table) and live.json; returns the table. */
  static String write(Path dir, String runner, Benchmark.Options options, Map<Instant, Minute> minutes,
      long incoming, long outgoing, long peakRss) throws IOException {
    StringBuilder md = new StringBuilder(String.format(
        "Relay on %s, simulator at %,d events/s for %d s: %,d in, %,d out, relay peak RSS %,d MiB.%n%n",
        runner, options.getEventsPerSecond(), options.getDurationSeconds(), incoming, outgoing, peakRss >> 20));
    md.append("| minute (UTC) | incoming messages | incoming bytes | outgoing messages | outgoing bytes | latency p50 / p95 / p99 ms |\n")
        .append("|---|---|---|---|---|---|\n");
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("runner", runner);
    root.put("eventsPerSecond", options.getEventsPerSecond());
    root.put("durationSeconds", options.getDurationSeconds());
    root.put("incoming", incoming);
    root.put("outgoing", outgoing);
    root.put("peakRssBytes", peakRss);
    ArrayNode rows = root.putArray("minutes");
    for (Map.Entry<Instant, Minute> e : minutes.entrySet()) {
      Minute m = e.getValue();
      m.latencies.sort(Long::compare);
      double[] p = {Benchmark.percentile(m.latencies, 50), Benchmark.percentile(m.latencies, 95),
          Benchmark.percentile(m.latencies, 99)};
      md.append(String.format("| %s | %,d | %,d | %,d | %,d | %s |%n", e.getKey(), m.incomingMessages, m.incomingBytes,
          m.outgoingMessages, m.outgoingBytes,
          m.latencies.isEmpty() ? "-" : String.format("%.0f / %.0f / %.0f", p[0], p[1], p[2])));
      ObjectNode row = rows.addObject();
      row.put("minute", e.getKey().toString());
      row.put("incomingMessages", m.incomingMessages);
      row.put("incomingBytes", m.incomingBytes);
      row.put("outgoingMessages", m.outgoingMessages);
      row.put("outgoingBytes", m.outgoingBytes);
      if (!m.latencies.isEmpty()) {
        ObjectNode latency = row.putObject("latencyMs");
        latency.put("p50", p[0]);
        latency.put("p95", p[1]);
        latency.put("p99", p[2]);
      }
    }
    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("live.json").toFile(), root);
    Files.writeString(dir.resolve("live.md"), md.toString());
    return md.toString();
  }
}
