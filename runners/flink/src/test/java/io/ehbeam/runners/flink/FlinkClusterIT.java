package io.ehbeam.runners.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;


import io.ehbeam.pipelines.testing.SecretSearch;
import io.ehbeam.local.LocalProcess;
import io.ehbeam.localflink.LocalFlink;
import io.ehbeam.localkafka.LocalKafka;
import io.ehbeam.localkafka.TestKafka;
import io.ehbeam.pipelines.Main;
import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.pipelines.testing.ArchiveFaultScenario;
import io.ehbeam.pipelines.testing.ArchiveScenario;
import io.ehbeam.pipelines.testing.DeviceMinute;
import io.ehbeam.pipelines.testing.HubFixture;
import io.ehbeam.pipelines.testing.JobLauncher;
import io.ehbeam.pipelines.testing.NumberedEvents;
import io.ehbeam.pipelines.testing.RelayScenario;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundled jar on a real Flink 1.19 session cluster (a JobManager and a TaskManager, each its
 * own process), submitted as a user submits it: {@code ./run <pipeline> --runner=FlinkRunner
 * --flinkMaster=host:port}.
 */
class FlinkClusterIT {
  static final JobLauncher RUN_SCRIPT = JobLauncher.runScript(Map.of(), Duration.ofMinutes(5));
  static final String SECRET_VARIABLE = "EVENTHUBS_CONNECTION_STRING";
  static LocalFlink cluster;

  @BeforeAll
  static void startCluster() {
    // Every Flink process gets the local hub's connection string as a Kubernetes Secret gives it.
    // Four slots: the crash test runs three jobs at once (one slot each), the others one job of two.
    cluster = new LocalFlink(Path.of("target", "flink-cluster"), LocalProcess.freePort(), LocalProcess.freePort(), 1, 4,
        Map.of(SECRET_VARIABLE, TestKafka.get().emulatorConnectionString()));
    cluster.start(true);
  }

  @AfterAll
  static void stopCluster() {
    cluster.stop();
  }

  String[] onTheCluster() {
    return new String[] {"--runner=FlinkRunner", "--flinkMaster=" + cluster.restAddress(), "--parallelism=2"};
  }

  /** Submits a streaming job detached, as {@code ./run <command> ... --attachedMode=false}; returns its id. */
  String submitDetached(String command, List<String> args) {
    return submitDetached(RUN_SCRIPT, command, args);
  }

  String submitDetached(JobLauncher launcher, String command, List<String> args) {
    List<String> before = cluster.jobs("RUNNING");
    List<String> all = new ArrayList<>(List.of(onTheCluster()));
    all.removeIf(a -> args.stream().anyMatch(given -> given.startsWith(a.substring(0, a.indexOf('=') + 1))));
    all.add("--attachedMode=false");
    all.addAll(args);
    assertThat(launcher.run(command, all).state()).isEqualTo(PipelineResult.State.RUNNING);
    List<String> running = new ArrayList<>(cluster.jobs("RUNNING"));
    running.removeAll(before);
    assertThat(running).as("the job just submitted").hasSize(1);
    return running.get(0);
  }

  /**
   * Every worker crashes (SIGKILL), and {@code start} brings the cluster back to its size, as
   * {@code ./run local-flink start} does for an operator and Kubernetes does for pods. Returns once
   * the JobManager lists only the new TaskManagers (before that it would hand out dead slots).
   */
  static void crashTaskManagers() {
    List<String> crashed = cluster.taskManagerIds();
    List<ProcessHandle> workers = cluster.taskManagerProcesses();
    assertThat(workers).as("TaskManagers running").isNotEmpty();
    for (ProcessHandle worker : workers) {
      worker.destroyForcibly();
      worker.onExit().join();
    }
    cluster.start(true);
    await().atMost(Duration.ofSeconds(180)).until(() -> {
      List<String> now = cluster.taskManagerIds();
      return now.size() == workers.size() && now.stream().noneMatch(crashed::contains);
    });
  }

  /**
   * Application mode, as the Flink Kubernetes Operator runs the jar on AKS: main() inside the
   * JobManager, the cluster ending with the application. Success ends it with exit code 0 and
   * every event relayed; a failing command (a missing input topic) ends it non-zero.
   */
  @Test
  void relaysInApplicationModeAsOnAks() throws Exception {
    LocalFlink application = new LocalFlink(Path.of("target", "flink-application"), LocalProcess.freePort(),
        LocalProcess.freePort(), 1, 2);
    Path jar = Path.of("target", "ehbeam-flink.jar");
    JobLauncher applicationMode = (command, args) -> {
      List<String> all = new ArrayList<>(List.of(command));
      all.addAll(args);
      int exit = application.runApplication(jar, Main.class.getName(), all, Duration.ofMinutes(5));
      String log = read(application.jobManagerLog());
      assertThat(exit).as("the JobManager's exit code; its log:%n%s", log).isZero();
      return Jobs.Outcome.fromReport(log).orElseThrow(() -> new AssertionError("no closing report in:\n" + log));
    };
    RelayScenario.runAndVerify("flink-application", 2000, applicationMode, "--runner=FlinkRunner", "--parallelism=2");

    int exit = application.runApplication(jar, Main.class.getName(),
        List.of("relay", "--runner=FlinkRunner", "--bootstrapServers=" + TestKafka.get().bootstrapServers(),
            "--inputTopic=no-such-topic", "--outputTopic=never-written"), Duration.ofMinutes(2));
    assertThat(exit).isNotZero();
    assertThat(read(application.jobManagerLog())).contains("error: Input topic 'no-such-topic' does not exist");
  }

  /**
   * As on AKS: the namespace's connection string is in every Flink process's environment (a
   * Kubernetes Secret as env) and in the launcher's, never an argument. A streaming relay through
   * the local hub's SASL listener, checkpoints every second, stopped mid-stream with a savepoint
   * ({@code ./run local-flink savepoint}, as {@code flink stop}): the key is in no file under the
   * cluster's folder (checkpoints, savepoints, uploaded job graphs, blobs, logs, configuration) and
   * on no REST page; the serialized Kafka source in the savepoint holds the variable's name instead,
   * which shows the search reaches job state. Submitted again from the savepoint ({@code
   * --savepointPath}), same group, it relays every event exactly once.
   */
  @Test
  void aRelayStoppedWithASavepointGoesOnFromItAndTheKeyIsInNoFileOrPage() throws Exception {
    TestKafka kafka = TestKafka.get();
    String connectionString = kafka.emulatorConnectionString();
    String key = connectionString.replaceAll(".*SharedAccessKey=([^;]+).*", "$1");
    assertThat(key).isNotEqualTo(connectionString).hasSizeGreaterThan(20);
    HubFixture hub = HubFixture.plain();
    String input = hub.newTopic("flink-secret-in", 2);
    String output = input.replace("-in-", "-out-");
    int total = 2300;
    hub.write(input, NumberedEvents.range(0, 300));
    JobLauncher withTheSecretInTheEnvironment =
        JobLauncher.runScript(Map.of(SECRET_VARIABLE, connectionString), Duration.ofMinutes(5));
    List<String> args = List.of("--checkpointingInterval=1000", "--inputTopic=" + input, "--outputTopic=" + output,
        "--consumerGroup=" + input + "-cg");
    String job = submitDetached(withTheSecretInTheEnvironment, "relay", args);
    String placeholder = "${env:" + SECRET_VARIABLE + "}";
    Path savepoint;
    try {
      await().atMost(Duration.ofSeconds(120)).until(() -> NumberedEvents.countsIn(hub, output).size() >= 300);
      Pattern completed = Pattern.compile("\"completed\":(\\d+)");
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        Matcher m = completed.matcher(cluster.rest("/jobs/" + job + "/checkpoints"));
        return m.find() && Integer.parseInt(m.group(1)) >= 3;
      });
      // While it runs: its retained checkpoints are on disk (a stopped job's are removed).
      assertThat(filesHolding(placeholder, key, cluster.checkpoints())).as("checkpoint files holding %s", placeholder)
          .isPositive();
      hub.write(input, NumberedEvents.range(300, 1300)); // stopped while these are on their way
      savepoint = Path.of(java.net.URI.create(cluster.stopWithSavepoint(job, Duration.ofMinutes(2))));
      await().atMost(Duration.ofSeconds(60)).until(() -> cluster.jobState(job).equals("FINISHED"));
    } finally {
      cluster.jobs("RUNNING").forEach(cluster::cancel);
    }
    assertThat(filesHolding(placeholder, key, savepoint)).as("savepoint files holding %s", placeholder).isPositive();
    filesHolding(placeholder, key, cluster.home());
    StringBuilder shown = new StringBuilder(cluster.rest("/jobs/" + job));
    for (String page : List.of("/config", "/plan", "/exceptions", "/accumulators", "/checkpoints")) {
      shown.append(cluster.rest("/jobs/" + job + page));
    }
    shown.append(cluster.rest("/jobmanager/config")).append(cluster.rest("/jobmanager/environment"));
    assertThat(shown.toString()).contains(input).doesNotContain(key);

    hub.write(input, NumberedEvents.range(1300, total));
    List<String> again = new ArrayList<>(args);
    again.add("--savepointPath=" + savepoint);
    submitDetached(withTheSecretInTheEnvironment, "relay", again);
    try {
      await().atMost(Duration.ofSeconds(180)).until(() -> NumberedEvents.countsIn(hub, output).size() >= total);
    } finally {
      cluster.jobs("RUNNING").forEach(cluster::cancel);
    }
    System.out.println(NumberedEvents.report("flink stop with savepoint and start from it", total, hub, output));
    // A clean stop: what was written is in the savepoint's offsets, so nothing is read twice
    // (Beam 2.62.0 read every partition twice after a restore; see the patched enumerator).
    assertThat(NumberedEvents.countsIn(hub, output)).hasSize(total)
        .allSatisfy((id, copies) -> assertThat(copies).as("copies of %s", id).isEqualTo(1));
  }

  /**
   * The broker stops and comes back under a streaming relay on the cluster (submitted detached,
   * checkpoints every 2 s, {@code --exactlyOnce}): the job resumes on its own and a {@code
   * read_committed} consumer sees every event once.
   */
  @Test
  void aStreamingRelayOnTheClusterSurvivesABrokerRestart() throws Exception {
    Path home = Files.createTempDirectory("ehbeam-flink-broker");
    LocalKafka broker = new LocalKafka(home, LocalProcess.freePort(),
        LocalProcess.freePort(), null);
    broker.start(true);
    try {
      HubFixture hub = new HubFixture(
          KafkaEndpoint.plainKafka(broker.bootstrapServers(), null));
      String input = hub.newTopic("flink-restart-in", 2);
      String output = input.replace("-in-", "-out-");
      hub.write(input, NumberedEvents.range(0, 500));
      submitDetached("relay", List.of("--checkpointingInterval=2000", "--bootstrapServers=" + broker.bootstrapServers(),
          "--inputTopic=" + input, "--outputTopic=" + output, "--consumerGroup=" + input + "-cg", "--exactlyOnce=true"));
      try {
        await().atMost(Duration.ofSeconds(120)).until(() -> NumberedEvents.countsIn(hub, output).size() >= 500);
        double idle = coresOfTheTaskManagersOver(Duration.ofSeconds(10));
        broker.stop();
        // Neither input nor output there: the job waits, its clients retry with backoff, nothing spins.
        double waiting = coresOfTheTaskManagersOver(Duration.ofSeconds(10));
        System.out.printf("flink broker away: TaskManager CPU idle %.2f cores, while the broker is away %.2f cores%n", idle, waiting);
        assertThat(waiting).as("cores the TaskManager uses while the broker is away (idle: %.2f)", idle)
            .isLessThan(Math.max(0.25, 2 * idle));
        broker.start(true);
        hub.write(input, NumberedEvents.range(500, 1000));
        await().atMost(Duration.ofSeconds(240)).until(() -> NumberedEvents.countsIn(hub, output).size() >= 1000);
      } finally {
        cluster.jobs("RUNNING").forEach(cluster::cancel);
      }
      System.out.println(NumberedEvents.report("flink broker restart, exactly once", 1000, hub, output));
      assertThat(NumberedEvents.countsIn(hub, output)).hasSize(1000)
          .allSatisfy((id, copies) -> assertThat(copies).as("copies of %s", id).isEqualTo(1));
    } finally {
      broker.reset();
    }
  }

  /**
   * Every TaskManager of the cluster killed with SIGKILL while input is still arriving, under three
   * streaming jobs (checkpoints every second): two relays of the same hub, one at least once, one
   * with {@code --exactlyOnce}, and the aggregate (devices preset). All restart from their latest
   * checkpoint on their own and lose nothing. What the first relay ran after that checkpoint is
   * written again (counted and printed for the notes), while a {@code read_committed} consumer sees
   * each event of the exactly-once relay once. The aggregate's state comes back with its read
   * position: the minute's statistics, updated by readings written after the crash, are those of
   * every reading, each counted once ({@link DeviceMinute}: computed independently).
   */
  @Test
  void streamingJobsRestartFromTheirCheckpointsWhenTheirWorkersAreKilled() throws Exception {
    HubFixture hub = HubFixture.plain();
    String input = hub.newTopic("flink-crash-in", 2);
    String atLeastOnce = input.replace("-in-", "-out-");
    String exactlyOnce = input.replace("-in-", "-eos-");
    int total = 3000;
    hub.write(input, NumberedEvents.range(0, 1000));
    List<String> common = List.of("--parallelism=1", "--checkpointingInterval=1000",
        "--bootstrapServers=" + hub.bootstrapServers(), "--inputTopic=" + input);
    List<String> running = new ArrayList<>();
    running.add(submitDetached("relay", with(common, "--outputTopic=" + atLeastOnce, "--consumerGroup=" + input + "-cg")));
    running.add(submitDetached("relay", with(common, "--outputTopic=" + exactlyOnce, "--consumerGroup=" + input + "-eos-cg",
        "--exactlyOnce=true")));
    String readings = hub.newTopic("flink-crash-readings", 2);
    String rows = readings + "-rows";
    Instant minute = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MINUTES);
    Map<String, double[]> expected = new HashMap<>();
    DeviceMinute.write(hub, readings, minute, 0, 300, expected);
    running.add(submitDetached("aggregate", List.of("--parallelism=1", "--checkpointingInterval=1000", "--preset=devices",
        "--console=false", "--bootstrapServers=" + hub.bootstrapServers(), "--inputTopic=" + readings,
        "--outputTopic=" + rows, "--consumerGroup=" + readings + "-cg")));
    Runnable aggregating = () -> assertThat(cluster.jobState(running.get(2))).as("the aggregate's state")
        .isIn("RUNNING", "RESTARTING", "CREATED", "");
    try {
      await().atMost(Duration.ofSeconds(180)).until(() -> NumberedEvents.countsIn(hub, atLeastOnce).size() >= 1000
          && NumberedEvents.countsIn(hub, exactlyOnce).size() >= 1000);
      DeviceMinute.awaitRows(hub, rows, expected, aggregating);
      try (NumberedEvents.Arriving arriving = NumberedEvents.Arriving.start(hub, input, 1000, total)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> arriving.sent() >= 1100);
        int sentAtTheCrash = arriving.sent();
        crashTaskManagers();
        assertThat(sentAtTheCrash).as("events sent when the workers were killed: mid-stream").isBetween(1100, total - 100);
        arriving.awaitDone(Duration.ofMinutes(3));
      }
      DeviceMinute.write(hub, readings, minute, 300, 500, expected);
      await().atMost(Duration.ofSeconds(240)).until(() -> NumberedEvents.countsIn(hub, atLeastOnce).size() >= total
          && NumberedEvents.countsIn(hub, exactlyOnce).size() >= total);
      DeviceMinute.awaitRows(hub, rows, expected, aggregating);
      for (String job : running) {
        assertThat(cluster.rest("/jobs/" + job + "/exceptions")).as("job %s failed over", job).contains("\"timestamp\"");
      }
      assertThat(cluster.jobs("RUNNING")).containsExactlyInAnyOrderElementsOf(running);
    } finally {
      cluster.jobs("RUNNING").forEach(cluster::cancel);
    }
    System.out.println(NumberedEvents.report("flink workers killed, at least once", total, hub, atLeastOnce));
    System.out.println(NumberedEvents.report("flink workers killed, exactly once", total, hub, exactlyOnce));
    assertThat(NumberedEvents.countsIn(hub, atLeastOnce)).as("at least once: nothing lost").hasSize(total);
    assertThat(NumberedEvents.countsIn(hub, exactlyOnce)).as("exactly once: nothing lost").hasSize(total)
        .allSatisfy((id, copies) -> assertThat(copies).as("copies of %s", id).isEqualTo(1));
    System.out.println(DeviceMinute.report("flink workers killed, aggregate", 500, hub, rows));
    DeviceMinute.assertRows(hub, rows, expected);
  }

  private static List<String> with(List<String> args, String... more) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of(more));
    return all;
  }

  /**
   * Device monitoring stopped with a savepoint and started from it: each device's history comes
   * through. Before the stop every device sends one TEMP reading in the 70s; after, a second one.
   * Only a device that remembers the first can raise several-temperatures-in-70s on the second,
   * and none may get a second first-event or a second no-news for the silence already reported.
   */
  @Test
  void deviceMonitoringStoppedWithASavepointKeepsEachDevicesHistory() throws Exception {
    HubFixture hub = HubFixture.plain();
    String input = hub.newTopic("flink-monitor-in", 2);
    String output = input.replace("-in-", "-alerts-");
    // Readings are held until the watermark passes them; a short out-of-order bound keeps that wait short.
    List<String> args = List.of("--checkpointingInterval=2000", "--bootstrapServers=" + hub.bootstrapServers(),
        "--inputTopic=" + input, "--outputTopic=" + output, "--consumerGroup=" + input + "-cg", "--maxOutOfOrderSeconds=5");
    int devices = 20;
    hub.write(input, monitorReadings(devices, "first", 72, java.time.Instant.now().minusSeconds(300)));
    String first = submitDetached("monitor-devices", args);
    try {
      // Caught up, the partitions' watermark follows the clock: each first reading's silence is reported.
      await().atMost(Duration.ofSeconds(180)).until(() -> alertsIn(hub, output).stream()
          .filter(a -> a.startsWith("no-news ")).count() == devices);
      String savepoint = cluster.stopWithSavepoint(first, Duration.ofMinutes(2));
      await().atMost(Duration.ofSeconds(60)).until(() -> cluster.jobState(first).equals("FINISHED"));
      hub.write(input, monitorReadings(devices, "second", 75, java.time.Instant.now()));
      List<String> again = new ArrayList<>(args);
      again.add("--savepointPath=" + savepoint);
      submitDetached("monitor-devices", again);
      await().atMost(Duration.ofSeconds(180)).until(() -> alertsIn(hub, output).stream()
          .filter(a -> a.startsWith("several-temperatures-in-70s ")).count() >= devices);
    } finally {
      cluster.jobs("RUNNING").forEach(cluster::cancel);
    }
    List<String> alerts = alertsIn(hub, output);
    for (int d = 0; d < devices; d++) {
      String device = "monitored-" + d;
      assertThat(alerts).as(device).containsOnlyOnce("first-event " + device + "-first", "no-news " + device + "-first",
          "several-temperatures-in-70s " + device + "-second");
      // The only other alert a device may have: the silence after its second reading, once.
      assertThat(alerts.stream().filter(a -> a.contains(device + "-")).toList()).as(device)
          .hasSizeBetween(3, 4).doesNotHaveDuplicates();
    }
  }

  static List<Map.Entry<String, byte[]>> monitorReadings(int devices, String which, double value, java.time.Instant at) {
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    for (int d = 0; d < devices; d++) {
      String device = "monitored-" + d;
      records.add(new java.util.AbstractMap.SimpleEntry<>(device, ("{\"eventId\":\"" + device + "-" + which
          + "\",\"type\":\"TEMP\",\"deviceId\":\"" + device + "\",\"createdAt\":\"" + at.plusMillis(d)
          + "\",\"value\":" + value + "}").getBytes(StandardCharsets.UTF_8)));
    }
    return records;
  }

  /** "alert eventId" of each alert in the topic. */
  static List<String> alertsIn(HubFixture hub, String topic) throws IOException {
    List<String> alerts = new ArrayList<>();
    for (org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> r : hub.readAll(topic)) {
      com.fasterxml.jackson.databind.JsonNode a = io.ehbeam.transforms.json.Json.MAPPER.readTree(r.value());
      alerts.add(a.get("alert").asText() + " " + a.get("eventId").asText());
    }
    return alerts;
  }

  /**
   * A streaming archive on the cluster (checkpoints every 2 s) through its workers' crash and a
   * broker restart: it goes on by itself, and each event is in the files exactly once.
   */
  @Test
  void aStreamingArchiveOnTheClusterHoldsEveryEventOnceThroughWorkerAndBrokerFailures() throws Exception {
    LocalKafka broker = new LocalKafka(Files.createTempDirectory("ehbeam-flink-archive-broker"), LocalProcess.freePort(),
        LocalProcess.freePort(), null);
    broker.start(true);
    try {
      HubFixture hub = new HubFixture(KafkaEndpoint.plainKafka(broker.bootstrapServers(), null));
      ArchiveFaultScenario.run("flink-archive-faults", hub, args -> {
        List<String> streaming = new ArrayList<>(args);
        streaming.add("--checkpointingInterval=2000");
        String job = submitDetached("archive", streaming);
        return new ArchiveFaultScenario.StreamingJob() {
          @Override
          public boolean isRunning() {
            return !List.of("FAILED", "CANCELED", "FINISHED").contains(cluster.jobState(job));
          }

          @Override
          public void stop() {
            cluster.cancel(job);
          }

          @Override
          public String toString() {
            return "Flink job " + job + " (" + cluster.jobState(job) + ")";
          }
        };
      }, () -> {
        crashTaskManagers();
        broker.stop();
        broker.start(true);
      }, RUN_SCRIPT, onTheCluster());
    } finally {
      broker.reset();
    }
  }

  /**
   * Asserts that no file under {@code folder} holds {@code key}; returns how many hold {@code
   * placeholder} (serialized job state that was searched, and holds the reference instead).
   */
  static int filesHolding(String placeholder, String key, Path folder) throws IOException {
    int[] filesAndHolding = new int[2];
    // A running job removes subsumed checkpoints while this walks: a file gone is skipped.
    Files.walkFileTree(folder, new java.nio.file.SimpleFileVisitor<>() {
      @Override
      public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attributes) {
        String content;
        try {
          content = SecretSearch.readable(file);
        } catch (IOException unreadable) {
          content = null;
        }
        if (content == null) {
          return java.nio.file.FileVisitResult.CONTINUE;
        }
        assertThat(content).as("%s holds the key", file).doesNotContain(key);
        filesAndHolding[0]++;
        filesAndHolding[1] += content.contains(placeholder) ? 1 : 0;
        return java.nio.file.FileVisitResult.CONTINUE;
      }

      @Override
      public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
        return java.nio.file.FileVisitResult.CONTINUE;
      }
    });
    System.out.printf("flink cluster secret search: %d files under %s, none holds the key, %d hold %s%n",
        filesAndHolding[0], folder, filesAndHolding[1], placeholder);
    return filesAndHolding[1];
  }

  static double coresOfTheTaskManagersOver(Duration period) throws InterruptedException {
    Duration cpu = cluster.taskManagersCpuTime();
    long wall = System.nanoTime();
    Thread.sleep(period.toMillis()); // a measuring period, not a wait for a condition
    return (double) cluster.taskManagersCpuTime().minus(cpu).toNanos() / (System.nanoTime() - wall);
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void archivesTheSampleWeekOnTheCluster() {
    int finished = cluster.finishedJobs();
    ArchiveScenario.sampleWeek("flink-cluster", RUN_SCRIPT, onTheCluster());
    assertThat(cluster.finishedJobs()).as("jobs the cluster ran (produce, archive)").isEqualTo(finished + 2);
  }
}
