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
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * {@code ./run benchmark --durationSeconds=N}: the streaming-at-scale sample's load test on one
 * machine, for each runner of {@code --runners} and each rate of {@code --eventsPerSecond}. The
 * simulator (on Flink) sends at the rate to an input topic for {@code --warmupSeconds} plus {@code
 * --durationSeconds} while the relay runs (unbounded, as in production); a monitor reads both
 * topics and counts, per minute, the messages and bytes that came into the input (by their enqueue
 * time) and that went out of the relay (by {@code processedAt}), with the latency {@code
 * processedAt − enqueuedAt} in HdrHistograms. The steady latency leaves the warm-up out.
 * Writes {@code live.json}, {@code live.md} and {@code live-<runner>-<rate>.png} (latency over time).
 */
final class LiveBenchmark {
  /** After the simulator is done, how long the relay may take to catch up. */
  private static final Duration DRAIN = Duration.ofSeconds(120);
  /** The chart's resolution. */
  private static final long BUCKET_MILLIS = 10_000;
  /** Latencies up to an hour, three significant digits. */
  private static final long MAX_LATENCY_MS = 3_600_000;

  private LiveBenchmark() {}

  /** One minute (or chart bucket) of traffic. */
  static final class Span {
    long incomingMessages;
    long incomingBytes;
    long outgoingMessages;
    long outgoingBytes;
    final Histogram latency = new Histogram(MAX_LATENCY_MS, 3);
  }

  /** One runner at one rate. */
  record Run(String runner, int eventsPerSecond, long incoming, long outgoing, long peakRssBytes, long startMillis,
      Map<Instant, Span> minutes, Map<Long, Span> buckets, Histogram steady) {}

  static int run(Benchmark.Options options, KafkaEndpoint broker, Path results) throws Exception {
    List<String> runners = new ArrayList<>();
    for (String r : options.getRunners().split(",")) {
      if (!r.isBlank()) {
        runners.add(r.trim().toLowerCase(Locale.ROOT));
      }
    }
    if (runners.isEmpty()) {
      throw new IllegalArgumentException("live mode needs a runner in --runners (direct, flink or spark)");
    }
    List<Integer> rates = new ArrayList<>();
    for (String r : options.getEventsPerSecond().split(",")) {
      if (!r.isBlank()) {
        rates.add(Integer.parseInt(r.trim()));
      }
    }
    List<Run> runs = new ArrayList<>();
    int failed = 0;
    for (String runner : runners) {
      for (int rate : rates) {
        Run run = measure(options, broker, results, runner, rate);
        runs.add(run);
        write(results, options, runs); // after each run: a later one failing keeps these
        if (run.outgoing() < run.incoming()) {
          failed++;
          System.err.printf("error: the relay on %s wrote %,d of %,d events within %d s after the simulator ended%n",
              runner, run.outgoing(), run.incoming(), DRAIN.toSeconds());
        }
      }
    }
    String table = write(results, options, runs);
    System.out.println("\n" + table);
    System.out.println("Results in " + results);
    return failed == 0 ? 0 : 1;
  }

  private static Run measure(Benchmark.Options options, KafkaEndpoint broker, Path results, String runner, int rate)
      throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String input = "live-in-" + run;
    String output = "live-out-" + run;
    try (HubAdmin admin = HubAdmin.connect(broker)) {
      admin.ensureTopic(input, options.getPartitions());
      admin.ensureTopic(output, options.getPartitions());
    }
    long seconds = options.getWarmupSeconds() + options.getDurationSeconds();
    long expected = rate * seconds;
    System.out.printf("Live: the relay on %s, the simulator sending %,d events/s for %d s (%d s warm-up; %,d events).%n",
        runner, rate, seconds, options.getWarmupSeconds(), expected);

    List<String> relay = RunnerJars.command(runner);
    relay.addAll(List.of("relay", "--bootstrapServers=" + broker.bootstrapServers(), "--inputTopic=" + input,
        "--outputTopic=" + output, "--consumerGroup=" + output + "-cg",
        "--runner=" + RunnerJars.runnerOption(runner)));
    if (options.getJobArguments() != null) {
      relay.addAll(options.getJobArguments());
    }
    // The simulator on Flink: its operators stream, so the pacing shows at the output. On the
    // DirectRunner a counted, paced run reaches the hub in bursts (each step's bundle is held
    // until it ends), which would measure the bursts rather than the relay.
    String simulatorRunner = options.getSimulatorRunner().trim().toLowerCase(Locale.ROOT);
    List<String> simulator = RunnerJars.command(simulatorRunner);
    simulator.addAll(List.of("simulate-devices", "--runner=" + RunnerJars.runnerOption(simulatorRunner),
        "--bootstrapServers=" + broker.bootstrapServers(),
        "--outputTopic=" + input, "--eventsPerSecond=" + rate,
        "--count=" + expected, "--duplicateEvery=0"));

    Path relayLog = results.resolve("live-relay-" + runner + "-" + rate + ".log");
    Path simulatorLog = results.resolve("live-simulator-" + runner + "-" + rate + ".log");
    Process relayProcess = new ProcessBuilder(relay).redirectErrorStream(true).redirectOutput(relayLog.toFile()).start();
    Process simulatorProcess = null;
    Map<Instant, Span> minutes = new TreeMap<>();
    Map<Long, Span> buckets = new TreeMap<>();
    Histogram steady = new Histogram(MAX_LATENCY_MS, 3);
    long firstIn = Long.MAX_VALUE;
    long peakRss = 0;
    long incoming = 0;
    long outgoing = 0;
    List<Long> pending = new ArrayList<>(); // (processedAt, latency) until the first incoming event is known
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
            firstIn = Math.min(firstIn, r.timestamp());
            Span m = minutes.computeIfAbsent(minuteOf(r.timestamp()), k -> new Span());
            m.incomingMessages++;
            m.incomingBytes += bytes;
            incoming++;
          } else {
            JsonNode event = Json.MAPPER.readTree(r.value());
            long processedAt = Instant.parse(event.get("processedAt").asText()).toEpochMilli();
            long latency = Math.max(0, Math.min(MAX_LATENCY_MS, processedAt - Instant.parse(event.get("enqueuedAt").asText()).toEpochMilli()));
            Span m = minutes.computeIfAbsent(minuteOf(processedAt), k -> new Span());
            m.outgoingMessages++;
            m.outgoingBytes += bytes;
            m.latency.recordValue(latency);
            pending.add(processedAt);
            pending.add(latency);
            outgoing++;
          }
        }
        if (firstIn != Long.MAX_VALUE) {
          // Buckets count from the first event in; the warm-up's are left out of the steady latency.
          for (int i = 0; i < pending.size(); i += 2) {
            long since = pending.get(i) - firstIn;
            long latency = pending.get(i + 1);
            buckets.computeIfAbsent(Math.max(0, since / BUCKET_MILLIS), k -> new Span()).latency.recordValue(latency);
            if (since >= options.getWarmupSeconds() * 1000) {
              steady.recordValue(latency);
            }
          }
          pending.clear();
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
      Benchmark.deleteTopicsOf(broker, options, run);
    }
    return new Run(runner, rate, incoming, outgoing, peakRss, firstIn, minutes, buckets, steady);
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

  private static ObjectNode percentiles(ObjectNode into, String name, Histogram h) {
    ObjectNode p = into.putObject(name);
    p.put("p50", h.getValueAtPercentile(50));
    p.put("p95", h.getValueAtPercentile(95));
    p.put("p99", h.getValueAtPercentile(99));
    return p;
  }

  private static String percentiles(Histogram h) {
    return h.getTotalCount() == 0 ? "-" : String.format("%,d / %,d / %,d", h.getValueAtPercentile(50),
        h.getValueAtPercentile(95), h.getValueAtPercentile(99));
  }

  /** live.md (a summary, then the sample's per-minute table per run), live.json and a chart per run; returns the markdown. */
  static String write(Path dir, Benchmark.Options options, List<Run> runs) throws IOException {
    StringBuilder md = new StringBuilder(String.format("Live relay, %d s warm-up then %d s measured per run.%n%n",
        options.getWarmupSeconds(), options.getDurationSeconds()));
    List<String> jobArguments = options.getJobArguments() == null ? List.of() : options.getJobArguments();
    if (!jobArguments.isEmpty()) {
      md.append(String.format("The relay run with: %s%n%n", String.join(" ", jobArguments)));
    }
    md.append("| runner | events/s | in | out | steady latency p50 / p95 / p99 ms | relay peak RSS |\n|---|---|---|---|---|---|\n");
    for (Run run : runs) {
      md.append(String.format("| %s | %,d | %,d | %,d | %s | %,d MiB |%n", run.runner(), run.eventsPerSecond(), run.incoming(),
          run.outgoing(), percentiles(run.steady()), run.peakRssBytes() >> 20));
    }
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("warmupSeconds", options.getWarmupSeconds());
    root.put("durationSeconds", options.getDurationSeconds());
    jobArguments.forEach(root.putArray("jobArguments")::add);
    ArrayNode all = root.putArray("runs");
    for (Run run : runs) {
      String chart = "live-" + run.runner() + "-" + run.eventsPerSecond() + ".png";
      md.append(String.format("%n%s at %,d events/s: %,d in, %,d out ([latency over time](%s)).%n%n", run.runner(),
          run.eventsPerSecond(), run.incoming(), run.outgoing(), chart));
      md.append("| minute (UTC) | incoming messages | incoming bytes | outgoing messages | outgoing bytes | latency p50 / p95 / p99 ms |\n")
          .append("|---|---|---|---|---|---|\n");
      ObjectNode node = all.addObject();
      node.put("runner", run.runner());
      node.put("eventsPerSecond", run.eventsPerSecond());
      node.put("incoming", run.incoming());
      node.put("outgoing", run.outgoing());
      node.put("peakRssBytes", run.peakRssBytes());
      if (run.steady().getTotalCount() > 0) {
        percentiles(node, "steadyLatencyMs", run.steady());
      }
      node.put("chart", chart);
      ArrayNode rows = node.putArray("minutes");
      for (Map.Entry<Instant, Span> e : run.minutes().entrySet()) {
        Span m = e.getValue();
        md.append(String.format("| %s | %,d | %,d | %,d | %,d | %s |%n", e.getKey(), m.incomingMessages, m.incomingBytes,
            m.outgoingMessages, m.outgoingBytes, percentiles(m.latency)));
        ObjectNode row = rows.addObject();
        row.put("minute", e.getKey().toString());
        row.put("incomingMessages", m.incomingMessages);
        row.put("incomingBytes", m.incomingBytes);
        row.put("outgoingMessages", m.outgoingMessages);
        row.put("outgoingBytes", m.outgoingBytes);
        if (m.latency.getTotalCount() > 0) {
          percentiles(row, "latencyMs", m.latency);
        }
      }
      chart(dir.resolve(chart), run, options.getWarmupSeconds());
    }
    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("live.json").toFile(), root);
    Files.writeString(dir.resolve("live.md"), md.toString());
    return md.toString();
  }

  /** p50, p95 and p99 of each 10 s since the first event in. */
  private static void chart(Path png, Run run, long warmupSeconds) throws IOException {
    XYChart chart = new XYChartBuilder().width(720).height(400)
        .title(String.format("Relay on %s at %,d events/s: latency (warm-up: first %d s)", run.runner(), run.eventsPerSecond(), warmupSeconds))
        .xAxisTitle("seconds since the first event in").yAxisTitle("processedAt - enqueuedAt, ms").build();
    chart.getStyler().setYAxisDecimalPattern("#,###");
    List<Double> seconds = new ArrayList<>();
    List<List<Double>> values = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    double[] ps = {50, 95, 99};
    for (Map.Entry<Long, Span> b : run.buckets().entrySet()) {
      seconds.add(b.getKey() * BUCKET_MILLIS / 1000.0);
      for (int i = 0; i < 3; i++) {
        values.get(i).add((double) b.getValue().latency.getValueAtPercentile(ps[i]));
      }
    }
    if (seconds.isEmpty()) {
      seconds.add(0.0);
      values.forEach(v -> v.add(0.0));
    }
    chart.addSeries("p50", seconds, values.get(0));
    chart.addSeries("p95", seconds, values.get(1));
    chart.addSeries("p99", seconds, values.get(2));
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
