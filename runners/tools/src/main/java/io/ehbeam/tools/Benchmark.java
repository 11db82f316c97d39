package io.ehbeam.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.pipelines.common.ProjectFiles;
import io.ehbeam.transforms.connect.HubOptions;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.io.HubAdmin;
import io.ehbeam.transforms.json.Json;
import io.ehbeam.transforms.model.DeviceEvent;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * {@code ./run benchmark}: the relay on each runner, and the other pipelines on one, against the
 * plain Kafka loop, on the same data and broker, one JVM each (so peak RSS compares). Throughput is
 * reported wall (process start to end, start-up included) and steady: for the relay from the first
 * event stamped to the last one written (read back from the output records), for the others from
 * the first event read (the job's log) to the last output written (its newest file or output
 * record). Engines that read in a separate stage leave their read out of the relay's steady span.
 * Writes {@code benchmark-results/<timestamp>/results.json}, {@code results.md} and {@code chart.png}.
 */
public final class Benchmark {
  /** Options of benchmark. */
  public interface Options extends HubOptions {
    @Description("Events of about 1 KB to fill the input with.")
    @Default.Integer(1_000_000)
    int getEvents();

    void setEvents(int value);

    @Description("Runs of each pipeline, each right after a run of the baseline it is compared with (baseline,"
        + " relay on flink, baseline, relay on spark, ..., then again): rows report the median and the spread.")
    @Default.Integer(3)
    int getRepeats();

    void setRepeats(int value);

    @Description("Runners to measure the relay on, comma-separated: direct,flink,spark.")
    @Default.String("direct,flink,spark")
    String getRunners();

    void setRunners(String value);

    @Description("Pipelines besides the relay to measure on --pipelinesRunner, comma-separated: aggregate (devices"
        + " preset, results to a topic), archive (Parquet, device schema, files under the results), monitor-devices"
        + " (alerts to a topic), relay-exactly-once (streaming, checkpoints every second, measured until a"
        + " read_committed consumer has every event; FlinkRunner only); empty for none.")
    @Default.String("aggregate,archive,monitor-devices,relay-exactly-once")
    String getPipelines();

    void setPipelines(String value);

    @Description("The runner of --pipelines: flink, or direct or spark.")
    @Default.String("flink")
    String getPipelinesRunner();

    void setPipelinesRunner(String value);

    @Description("Live mode when > 0: for each of --runners and each rate of --eventsPerSecond, the simulator"
        + " sends at that rate for --warmupSeconds and then this long while the relay runs; per minute, incoming and"
        + " outgoing messages and bytes and the latency processedAt - enqueuedAt (p50/p95/p99), as the"
        + " streaming-at-scale sample reports them, and a chart of latency over time per runner and rate.")
    @Default.Long(0)
    long getDurationSeconds();

    void setDurationSeconds(long value);

    @Description("Live mode: the simulator's rates, comma-separated (the streaming-at-scale sample's tiers).")
    @Default.String("1000,5000,10000")
    String getEventsPerSecond();

    void setEventsPerSecond(String value);

    @Description("Live mode: seconds of load before the measured --durationSeconds (start-up and catch-up left out"
        + " of the steady latency).")
    @Default.Long(30)
    long getWarmupSeconds();

    void setWarmupSeconds(long value);

    @Description("Live mode: the runner of the simulator (flink: its pacing shows at the output; a counted,"
        + " paced run on direct reaches the hub in bursts).")
    @Default.String("flink")
    String getSimulatorRunner();

    void setSimulatorRunner(String value);

    @Description("Arguments added to every pipeline run (not the baseline; in live mode, to the relay), comma-separated,"
        + " to try a setting against the same baseline: --jobArguments=--maxBundleSize=5000,--kafkaProperty=linger.ms=20.")
    List<String> getJobArguments();

    void setJobArguments(List<String> value);

    @Description("Keep the topics the benchmark creates (its input, each run's output). By default each run's"
        + " outputs are deleted once read and the input at the end: a 1M-event run writes about 2 GB per output.")
    @Default.Boolean(false)
    boolean getKeepTopics();

    void setKeepTopics(boolean value);

    @Description("Folder for the results; a sub-folder per run. Default: benchmark-results/ of the project.")
    String getResultsDirectory();

    void setResultsDirectory(String value);
  }

  private Benchmark() {}

  /** One measured run. */
  record Measurement(String pipeline, String runner, long events, double wallPerSecond, double steadyPerSecond,
      long peakRssBytes, double[] latencyMs, long cpuNanos) {
    /** CPU (user and system, all threads) per event: what a run costs, whatever the cores it had. */
    double cpuMicrosPerEvent() {
      return events == 0 ? Double.NaN : cpuNanos / 1e3 / events;
    }
  }

  public static int run(String[] args) throws Exception {
    Options options = Tools.options(args, Options.class);
    // Checked before minutes of filling and measuring, not after.
    for (String pipeline : options.getPipelines().split(",")) {
      String p = pipeline.trim().toLowerCase(Locale.ROOT);
      if (!p.isEmpty() && !List.of("aggregate", "archive", "monitor-devices", "relay-exactly-once").contains(p)) {
        throw new IllegalArgumentException("--pipelines takes aggregate, archive, monitor-devices and"
            + " relay-exactly-once (or nothing); got '" + p + "'");
      }
    }
    Path results = Path.of(options.getResultsDirectory() != null ? options.getResultsDirectory()
            : ProjectFiles.home().resolve("benchmark-results").toString())
        .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(results);
    KafkaEndpoint broker = KafkaEndpoint.plainKafka(options.getBootstrapServers(), null);
    if (options.getDurationSeconds() > 0) {
      return LiveBenchmark.run(options, broker, results);
    }
    String run = UUID.randomUUID().toString().substring(0, 8);
    try {
      return measureAll(options, broker, results, run);
    } finally {
      deleteTopicsOf(broker, options, run); // the input, and outputs of a failed run
    }
  }

  private static int measureAll(Options options, KafkaEndpoint broker, Path results, String run) throws Exception {
    String input = "bench-in-" + run;
    try (HubAdmin admin = HubAdmin.connect(broker)) {
      admin.ensureTopic(input, options.getPartitions());
    }
    fill(broker.withTopic(input), options.getEvents());
    System.out.printf("Filled %s with %,d device events.%n", input, options.getEvents());

    List<Case> cases = new ArrayList<>();
    for (String runner : options.getRunners().split(",")) {
      String r = runner.trim().toLowerCase(Locale.ROOT);
      if (!r.isEmpty()) {
        cases.add(new Case("relay", r, "bench-out-" + r, i -> List.of()));
      }
    }
    String on = options.getPipelinesRunner().trim().toLowerCase(Locale.ROOT);
    for (String pipeline : options.getPipelines().split(",")) {
      String p = pipeline.trim().toLowerCase(Locale.ROOT);
      if (p.equals("aggregate")) {
        cases.add(new Case(p, on, "bench-agg-" + on, i -> List.of("--preset=devices", "--console=false")));
      } else if (p.equals("relay-exactly-once")) {
        cases.add(new Case("relay", on, "bench-eos-" + on, i -> List.of("--exactlyOnce=true", "--checkpointingInterval=1000")));
      } else if (p.equals("monitor-devices")) {
        cases.add(new Case(p, on, "bench-monitor-" + on, i -> List.of()));
      } else if (p.equals("archive")) {
        // The default Parquet path: no --schema, so the archive picks the device shape from a sample.
        cases.add(new Case(p, on, "bench-archive-" + on,
            i -> List.of("--format=parquet", "--outputDirectory=" + results.resolve("archive-" + run + "-" + i))));
      }
    }
    int threads = baselineThreads(options.getPartitions());
    Case baseline = new Case("relay", "plain-kafka", "bench-out-plain", i -> List.of("--threads=" + threads));
    List<Pair> pairs = new ArrayList<>();
    // The first read of a freshly filled topic is slower (30,639 and 46,274 events/s in two runs whose
    // next baselines made 58,506 and 78,019): one baseline run first, not counted.
    System.out.println("Warm-up, not counted:");
    measure(broker, baseline, input, run, 0, options);
    deleteTopicsOf(broker, options, run + "-0");
    int i = 0;
    for (int repeat = 1; repeat <= Math.max(1, options.getRepeats()); repeat++) {
      for (Case c : cases.isEmpty() ? List.of(baseline) : cases) {
        i++;
        System.out.printf("Repeat %d of %d:%n", repeat, options.getRepeats());
        Measurement base = measure(broker, baseline, input, run, i, options);
        Measurement measured = c == baseline ? base : measure(broker, c, input, run, i, options);
        pairs.add(new Pair(c, measured, base));
        deleteArchive(results.resolve("archive-" + run + "-" + i));
        deleteTopicsOf(broker, options, run + "-" + i); // outputs, dead letters
      }
    }
    write(results, baseline, cases, pairs, threads, options);
    System.out.println("\n" + Files.readString(results.resolve("results.md")));
    System.out.println("Results in " + results);
    return 0;
  }

  static void fill(KafkaEndpoint topic, int events) {
    long runId = System.nanoTime();
    try (Producer<byte[], byte[]> producer = topic.newProducer()) {
      for (int i = 0; i < events; i++) {
        DeviceEvent e = DeviceEvent.of(runId, i, 1000, DeviceEvent.DEFAULT_DEVICE_PREFIX, Instant.now());
        producer.send(new ProducerRecord<>(topic.topic(), e.deviceId.getBytes(StandardCharsets.UTF_8), e.toJson()));
      }
      producer.flush();
    }
  }

  /** Runs one measurement in its own JVM and reads its output topic back. */
  static Measurement measure(KafkaEndpoint broker, String pipeline, String runner, String input, String output,
      Options options, List<String> extra) throws IOException, InterruptedException {
    try (HubAdmin admin = HubAdmin.connect(broker)) {
      admin.ensureTopic(output, options.getPartitions());
    }
    // The baseline loop is a tool: it runs on this JVM's classpath, the pipelines in their runner's jar.
    List<String> command = runner.equals("plain-kafka") ? RunnerJars.toolCommand() : RunnerJars.command(runner);
    command.add(runner.equals("plain-kafka") ? "plain-relay" : pipeline);
    // Exactly once streams (a batch run cannot commit transactions): it is measured until a
    // read_committed consumer has every event, then stopped.
    boolean streaming = extra.contains("--exactlyOnce=true");
    command.addAll(List.of("--bootstrapServers=" + broker.bootstrapServers(), "--inputTopic=" + input,
        "--outputTopic=" + output, "--consumerGroup=" + output + "-cg"));
    if (!streaming) {
      command.add("--stopAtEnd=true");
    }
    if (!runner.equals("plain-kafka")) {
      command.add("--runner=" + RunnerJars.runnerOption(runner));
    }
    command.addAll(extra);
    String label = pipeline + (streaming ? " exactly once" : "");
    System.out.printf("Measuring %s on %s ...%n", label, runner);
    Path log = Files.createTempFile("bench-" + runner, ".log");
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ProcessWatch rss = new ProcessWatch(process);
    long wallNanos;
    OutputRead read;
    if (streaming) {
      try {
        read = readOutput(broker, output, options.getEvents(), process, log);
        wallNanos = read.lastReadNanos() - start;
      } finally {
        process.destroy();
        process.waitFor();
        rss.stop();
      }
    } else {
      process.waitFor();
      wallNanos = System.nanoTime() - start;
      rss.stop();
      if (process.exitValue() != 0) {
        throw new IllegalStateException(pipeline + " on " + runner + " failed (exit " + process.exitValue() + "); its log: " + log);
      }
      if (!pipeline.equals("relay")) {
        // Its output is a handful of rows: the rate is of the events it read, from its own report; the
        // steady span from its first read (its log) to its last output written.
        String report = Files.readString(log);
        long readCount = readCounter(report);
        long first = firstReadMillis(report);
        long last = lastWrittenMillis(broker, output, extra);
        double steady = first > 0 && last > first ? readCount * 1000.0 / (last - first) : 0;
        return new Measurement(pipeline, runner, readCount, readCount * 1e9 / wallNanos, steady, rss.peak(), null, rss.cpuNanos());
      }
      read = readOutput(broker, output, -1, null, log);
    }
    List<Long> latencies = read.latencies();
    long count = read.count();
    long first = read.firstStamp();
    long last = read.lastWrite();
    double steady = last > first ? count * 1000.0 / (last - first) : 0;
    double wall = count * 1e9 / wallNanos;
    return new Measurement(streaming ? "relay, exactly once" : pipeline, runner, count, wall, steady, rss.peak(),
        new double[] {percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 99)}, rss.cpuNanos());
  }

  /** What was read back from an output: records, stamps, the time the last one was read. */
  record OutputRead(long count, long firstStamp, long lastWrite, List<Long> latencies, long lastReadNanos) {}

  /**
   * Reads the relay's output from the start: to its end offsets now ({@code expected} < 0), or,
   * while {@code job} streams, until {@code expected} records are there (read_committed: what a
   * transaction has not committed yet is not seen).
   */
  static OutputRead readOutput(KafkaEndpoint broker, String output, long expected, Process job, Path log)
      throws IOException {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    List<Long> latencies = new ArrayList<>();
    long count = 0;
    long lastRead = System.nanoTime();
    try (Consumer<byte[], byte[]> consumer = broker.newConsumer(null)) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(output).forEach(p -> partitions.add(new TopicPartition(output, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = expected < 0 ? consumer.endOffsets(partitions) : Map.of();
      while (expected < 0 ? partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) : count < expected) {
        if (job != null && !job.isAlive()) {
          throw new IllegalStateException("the job stopped before writing every event (exit " + job.exitValue() + "); its log: " + log);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(java.time.Duration.ofMillis(500))) {
          count++;
          lastRead = System.nanoTime();
          JsonNode e = Json.MAPPER.readTree(r.value());
          long processedAt = Instant.parse(e.get("processedAt").asText()).toEpochMilli();
          first = Math.min(first, processedAt);
          last = Math.max(last, r.timestamp());
          latencies.add(processedAt - Instant.parse(e.get("enqueuedAt").asText()).toEpochMilli());
        }
      }
    }
    latencies.sort(Long::compare);
    return new OutputRead(count, first, last, latencies, lastRead);
  }

  /**
   * The peak resident memory of a process and the CPU it has used, sampled every 100 ms until
   * stopped (the last sample before it ended: up to 100 ms of CPU may be missed).
   */
  static final class ProcessWatch {
    private final java.util.concurrent.ScheduledExecutorService sampler =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    private final java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong cpu = new java.util.concurrent.atomic.AtomicLong();

    ProcessWatch(Process process) {
      sampler.scheduleAtFixedRate(() -> {
        peak.accumulateAndGet(RunnerJars.rssBytes(process.pid()), Math::max);
        cpu.accumulateAndGet(RunnerJars.cpuNanos(process.pid()), Math::max);
      }, 0, 100, TimeUnit.MILLISECONDS);
    }

    void stop() {
      sampler.shutdownNow();
    }

    long peak() {
      return peak.get();
    }

    long cpuNanos() {
      return cpu.get();
    }
  }

  private static final java.util.regex.Pattern FIRST_READ =
      java.util.regex.Pattern.compile("Progress: first " + io.ehbeam.transforms.io.ReadFromHub.READ_COUNTER + " at (\\S+)");

  /** When a job read its first event, from its log (each worker logs its own: the earliest); 0 if it never did. */
  static long firstReadMillis(String log) {
    return FIRST_READ.matcher(log).results().mapToLong(m -> Instant.parse(m.group(1)).toEpochMilli()).min().orElse(0);
  }

  /**
   * When a job wrote its last output: the newest file under its {@code --outputDirectory} (the archive),
   * else the broker's timestamp of the newest record in its output topic (append time, as Event Hubs
   * stamps it); 0 if it wrote nothing.
   */
  static long lastWrittenMillis(KafkaEndpoint broker, String output, List<String> arguments) throws IOException {
    java.util.Optional<String> directory = arguments.stream().filter(a -> a.startsWith("--outputDirectory="))
        .map(a -> a.substring("--outputDirectory=".length())).findFirst();
    if (directory.isPresent()) {
      if (!Files.isDirectory(Path.of(directory.get()))) {
        return 0;
      }
      try (Stream<Path> files = Files.walk(Path.of(directory.get()))) {
        return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().lastModified()).max().orElse(0);
      }
    }
    long last = 0;
    try (Consumer<byte[], byte[]> consumer = broker.newConsumer(null)) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(output).forEach(p -> partitions.add(new TopicPartition(output, p.partition())));
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      for (TopicPartition tp : partitions) {
        if (end.get(tp) > 0) {
          consumer.seek(tp, end.get(tp) - 1);
        } else {
          consumer.pause(List.of(tp));
        }
      }
      while (partitions.stream().anyMatch(tp -> end.get(tp) > 0 && consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(java.time.Duration.ofMillis(500))) {
          last = Math.max(last, r.timestamp());
        }
      }
    }
    return last;
  }

  /** The {@code read=N} of a job's closing report ("Job DONE in 9.1 s: read=200,000, ..."). */
  static long readCounter(String log) {
    return Jobs.Outcome.fromReport(log)
        .filter(o -> o.state() == PipelineResult.State.DONE && o.counters().containsKey("read"))
        .orElseThrow(() -> new IllegalStateException("the job did not report what it read"))
        .counter("read");
  }

  static double percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  /** A pipeline on a runner, as measured: {@code extra} options per run (numbered from 1). */
  record Case(String pipeline, String runner, String outputPrefix, java.util.function.IntFunction<List<String>> extra) {}

  /** A run of a case and the baseline run just before it. */
  record Pair(Case measured, Measurement run, Measurement baseline) {
    double wallRatio() {
      return baseline.wallPerSecond() == 0 ? 0 : run.wallPerSecond() / baseline.wallPerSecond();
    }

    /** First record stamped to last written, against the baseline's; NaN where the pipeline writes no stamped events. */
    double steadyRatio() {
      return run.steadyPerSecond() == 0 || baseline.steadyPerSecond() == 0 ? Double.NaN
          : run.steadyPerSecond() / baseline.steadyPerSecond();
    }
  }

  /** The baseline's threads: one per core, at most one per partition (as plain-relay's default, stated in the results). */
  static int baselineThreads(int partitions) {
    return Math.max(1, Math.min(partitions, Runtime.getRuntime().availableProcessors()));
  }

  static Measurement measure(KafkaEndpoint broker, Case c, String input, String run, int i, Options options)
      throws IOException, InterruptedException {
    List<String> extra = new ArrayList<>(c.extra().apply(i));
    if (!c.runner().equals("plain-kafka") && options.getJobArguments() != null) {
      extra.addAll(options.getJobArguments());
    }
    return measure(broker, c.pipeline(), c.runner(), input, c.outputPrefix() + "-" + run + "-" + i, options, extra);
  }

  /**
   * Deletes the broker's topics of one run or pair (unless {@code --keepTopics}): names that end in
   * {@code -<id>} or hold {@code -<id>-}, so that pair 1 never takes pair 11's. The benchmark's data
   * fills a disk within a few runs.
   */
  static void deleteTopicsOf(KafkaEndpoint broker, Options options, String id) {
    if (options.getKeepTopics()) {
      return;
    }
    try (HubAdmin admin = HubAdmin.connect(broker)) {
      List<String> topics =
          admin.topicNames().stream().filter(t -> t.endsWith("-" + id) || t.contains("-" + id + "-")).toList();
      if (!topics.isEmpty()) {
        admin.deleteTopics(topics);
      }
    }
  }

  private static void deleteArchive(Path files) throws IOException {
    if (Files.exists(files)) {
      try (Stream<Path> written = Files.walk(files)) {
        written.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().filter(v -> !v.isNaN()).sorted().toList();
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /**
   * results.json (exact fields), results.md (a table) and chart.png (XChart). Per row: medians over
   * the repeats of the wall rate and of the steady rate (first record stamped to last written), each
   * ratio taken against the baseline run just before, and the spread (min, max) of the steady ratio
   * (of the wall ratio where a run has no steady span). The baseline's own row shows its
   * drift: each of its runs against its median.
   */
  static void write(Path dir, Case baseline, List<Case> cases, List<Pair> pairs, int threads, Options options)
      throws IOException {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("eventsPerRun", options.getEvents());
    root.put("repeats", Math.max(1, options.getRepeats()));
    root.put("warmupBaselineRuns", 1);
    ObjectNode base = root.putObject("baseline");
    base.put("tool", "plain-relay");
    base.put("threads", threads);
    PlainKafkaRelay.settings().forEach(base.putArray("settings")::add);
    ArrayNode jobArguments = root.putArray("jobArguments");
    if (options.getJobArguments() != null) {
      options.getJobArguments().forEach(jobArguments::add);
    }
    ArrayNode rows = root.putArray("results");
    StringBuilder md = new StringBuilder("| pipeline | runner | events | events/s wall | ratio wall | events/s steady"
        + " | ratio steady | steady ratio min–max | peak RSS | CPU µs/event | backlog age p50 / p95 / p99 ms |\n"
        + "|---|---|---|---|---|---|---|---|---|---|---|\n");
    List<String> names = new ArrayList<>();
    List<Double> wallRatios = new ArrayList<>();
    List<Double> steadyRatios = new ArrayList<>();

    List<Measurement> baselineRuns = pairs.stream().map(Pair::baseline).toList();
    double baselineWall = median(baselineRuns.stream().map(Measurement::wallPerSecond).toList());
    List<Pair> own = new ArrayList<>();
    for (Measurement b : baselineRuns) {
      // Each baseline run against the median of all: how far the machine drifted during the benchmark.
      own.add(new Pair(baseline, b, new Measurement(b.pipeline(), b.runner(), b.events(), baselineWall,
          median(baselineRuns.stream().map(Measurement::steadyPerSecond).toList()), 0, null,
          Math.round(median(baselineRuns.stream().map(Measurement::cpuNanos).map(Long::doubleValue).toList())))));
    }
    List<List<Pair>> groups = new ArrayList<>();
    groups.add(own);
    for (Case c : cases) {
      groups.add(pairs.stream().filter(p -> p.measured() == c).toList());
    }
    for (List<Pair> group : groups) {
      Case c = group.get(0).measured();
      Measurement last = group.get(group.size() - 1).run();
      double wall = median(group.stream().map(p -> p.run().wallPerSecond()).toList());
      double steady = median(group.stream().map(p -> p.run().steadyPerSecond() == 0 ? Double.NaN : p.run().steadyPerSecond()).toList());
      double wallRatio = median(group.stream().map(Pair::wallRatio).toList());
      double steadyRatio = median(group.stream().map(Pair::steadyRatio).toList());
      List<Double> spreadOf = group.stream().map(p -> Double.isNaN(p.steadyRatio()) ? p.wallRatio() : p.steadyRatio()).toList();
      double min = spreadOf.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
      double max = spreadOf.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
      long rss = group.stream().mapToLong(p -> p.run().peakRssBytes()).max().orElse(0);
      double cpuPerEvent = median(group.stream().map(p -> p.run().cpuMicrosPerEvent()).toList());
      ObjectNode row = rows.addObject();
      row.put("pipeline", last.pipeline());
      row.put("runner", c.runner());
      row.put("events", last.events());
      row.put("eventsPerSecond", Math.round(wall));
      row.put("ratioToBaseline", round(wallRatio));
      if (!Double.isNaN(steady)) {
        row.put("steadyEventsPerSecond", Math.round(steady));
        row.put("steadyRatioToBaseline", round(steadyRatio));
      }
      ObjectNode spread = row.putObject("ratioSpread");
      spread.put("of", Double.isNaN(steadyRatio) ? "wall" : "steady");
      spread.put("min", round(min));
      spread.put("max", round(max));
      ArrayNode repeats = row.putArray("repeats");
      for (Pair p : group) {
        ObjectNode r = repeats.addObject();
        r.put("eventsPerSecond", Math.round(p.run().wallPerSecond()));
        r.put("ratioToBaseline", round(p.wallRatio()));
        if (!Double.isNaN(p.steadyRatio())) {
          r.put("steadyEventsPerSecond", Math.round(p.run().steadyPerSecond()));
          r.put("steadyRatioToBaseline", round(p.steadyRatio()));
        }
        r.put("baselineEventsPerSecond", Math.round(p.baseline().wallPerSecond()));
        r.put("cpuMicrosPerEvent", round(p.run().cpuMicrosPerEvent()));
      }
      row.put("peakRssBytes", rss);
      row.put("cpuMicrosPerEvent", round(cpuPerEvent));
      if (last.latencyMs() != null) {
        // processedAt - enqueuedAt of a topic filled before the run: the age of the backlog, not pipeline delay.
        ObjectNode age = row.putObject("backlogAgeMs");
        age.put("p50", last.latencyMs()[0]);
        age.put("p95", last.latencyMs()[1]);
        age.put("p99", last.latencyMs()[2]);
      }
      md.append(String.format("| %s | %s | %,d | %,.0f | %.2f | %s | %s | %.2f–%.2f | %,d MiB | %.1f | %s |%n", last.pipeline(),
          c.runner(), last.events(), wall, wallRatio, Double.isNaN(steady) ? "-" : String.format("%,.0f", steady),
          Double.isNaN(steadyRatio) ? "-" : String.format("%.2f", steadyRatio), min, max, rss >> 20, cpuPerEvent,
          last.latencyMs() == null ? "-"
              : String.format("%.0f / %.0f / %.0f", last.latencyMs()[0], last.latencyMs()[1], last.latencyMs()[2])));
      names.add(last.pipeline() + " " + c.runner());
      wallRatios.add(wallRatio);
      steadyRatios.add(Double.isNaN(steadyRatio) ? 0 : steadyRatio);
    }
    md.append(String.format("%nMedians of %d repeats, %,d events each, after one baseline run not counted (warm-up);"
        + " each ratio against the baseline run just before it. Baseline: plain-relay, %d threads, %s.%n",
        Math.max(1, options.getRepeats()), options.getEvents(), threads,
        String.join(", ", PlainKafkaRelay.settings())));
    if (options.getJobArguments() != null && !options.getJobArguments().isEmpty()) {
      md.append(String.format("Every pipeline run with: %s%n", String.join(" ", options.getJobArguments())));
    }
    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("results.json").toFile(), root);
    Files.writeString(dir.resolve("results.md"), md.toString());

    CategoryChart throughput = new CategoryChartBuilder().width(640).height(400)
        .title("Throughput relative to the plain Kafka relay (medians)").yAxisTitle("ratio").build();
    throughput.getStyler().setXAxisLabelRotation(20);
    throughput.addSeries("wall", names, wallRatios);
    throughput.addSeries("steady (0: not measured)", names, steadyRatios);
    CategoryChart age = new CategoryChartBuilder().width(640).height(400)
        .title("Backlog age: processedAt - enqueuedAt of a pre-filled topic").yAxisTitle("ms").build();
    age.getStyler().setXAxisLabelRotation(20);
    age.getStyler().setYAxisDecimalPattern("#,###");
    String[] percentiles = {"p50", "p95", "p99"};
    for (int p = 0; p < 3; p++) {
      List<String> relays = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      for (List<Pair> group : groups) {
        Measurement last = group.get(group.size() - 1).run();
        if (last.latencyMs() != null) {
          relays.add(last.pipeline() + " " + group.get(0).measured().runner());
          values.add(last.latencyMs()[p]);
        }
      }
      age.addSeries(percentiles[p], relays, values);
    }
    BufferedImage left = BitmapEncoder.getBufferedImage(throughput);
    BufferedImage right = BitmapEncoder.getBufferedImage(age);
    BufferedImage both = new BufferedImage(left.getWidth() + right.getWidth(), Math.max(left.getHeight(), right.getHeight()), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = both.createGraphics();
    g.drawImage(left, 0, 0, null);
    g.drawImage(right, left.getWidth(), 0, null);
    g.dispose();
    ImageIO.write(both, "png", dir.resolve("chart.png").toFile());
  }
}
