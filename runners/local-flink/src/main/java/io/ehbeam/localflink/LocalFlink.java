package io.ehbeam.localflink;

import io.ehbeam.local.LocalProcess;
import io.ehbeam.local.LocalServiceCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Flink 1.19 standalone session cluster on this machine: one JobManager process (REST
 * endpoint, web UI, dispatcher) and N TaskManager processes, each its own JVM started the way
 * Flink's own scripts start them (memory settings computed by Flink's {@code BashJavaUtils}, the
 * Java 17 module flags Flink's default configuration carries). Its configuration, logs,
 * checkpoints and savepoints live in one folder.
 */
public final class LocalFlink implements LocalServiceCommand.Service {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final String BASH_JAVA_UTILS_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
  private static final Pattern TASK_MANAGERS = Pattern.compile("\"taskmanagers\"\\s*:\\s*(\\d+)");
  private static final Pattern FINISHED_JOB = Pattern.compile("\"state\"\\s*:\\s*\"FINISHED\"");

  /**
   * What Flink 1.19's default configuration passes every Flink JVM on Java 17 ({@code
   * env.java.opts.all}): its serializers reach into these JDK packages.
   */
  static final List<String> JAVA17_FLAGS = List.of(
      "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
      "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.text=ALL-UNNAMED",
      "--add-opens=java.base/java.time=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  private final Path home;
  private final int restPort;
  private final int rpcPort;
  private final int taskManagers;
  private final int slotsPerTaskManager;
  private final LocalProcess jobManager;
  private final Map<String, String> environment;

  public LocalFlink(Path home, int restPort, int rpcPort, int taskManagers, int slotsPerTaskManager) {
    this(home, restPort, rpcPort, taskManagers, slotsPerTaskManager, Map.of());
  }

  /**
   * @param environment variables every Flink process gets, as a Kubernetes Secret given as env
   *     reaches every pod of a Flink deployment (e.g. EVENTHUBS_CONNECTION_STRING)
   */
  public LocalFlink(Path home, int restPort, int rpcPort, int taskManagers, int slotsPerTaskManager,
      Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
    this.home = home.toAbsolutePath();
    this.restPort = restPort;
    this.rpcPort = rpcPort;
    this.taskManagers = taskManagers;
    this.slotsPerTaskManager = slotsPerTaskManager;
    this.jobManager = new LocalProcess(this.home, "jobmanager");
  }

  /** The REST endpoint (and web UI) as host:port: what {@code --flinkMaster} takes. */
  @Override
  public String name() {
    return "the local Flink cluster";
  }

  @Override
  public String address() {
    return restAddress();
  }

  @Override
  public String howToUse() {
    return "with " + registeredTaskManagers() + " TaskManager(s); web UI http://" + restAddress()
        + "; run a pipeline on it with --runner=FlinkRunner --flinkMaster=" + restAddress();
  }

  @Override
  public String whatStopKeeps() {
    return "; checkpoints and savepoints are kept in " + home;
  }

  public String restAddress() {
    return "localhost:" + restPort;
  }

  @Override
  public Path home() {
    return home;
  }

  public Path checkpoints() {
    return home.resolve("checkpoints");
  }

  @Override
  public boolean isRunning() {
    return jobManager.process().isPresent() && registeredTaskManagers() >= 1;
  }

  /**
   * Starts the JobManager and the TaskManagers unless they run, and waits until all are registered.
   * On a running cluster it starts again every TaskManager that has died, back to the configured
   * size, as Kubernetes replaces a pod; running jobs then restart from their latest checkpoint.
   */
  @Override
  public synchronized void start(boolean stopWithThisJvm) {
    if (jobManager.process().isPresent()) {
      replaceDeadTaskManagers(stopWithThisJvm);
      return;
    }
    if (LocalProcess.answers(restPort) || LocalProcess.answers(rpcPort)) {
      throw new IllegalStateException("Port " + restPort + " or " + rpcPort
          + " is taken by another program; stop it or choose other ports (EHBEAM_LOCAL_FLINK_PORT)");
    }
    Path conf = writeConfig();
    Instant started = Instant.now();
    jobManager.start(
        command("GET_JM_RESOURCE_PARAMS", conf, "jobmanager",
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", "--executionMode", "cluster"),
        environment, stopWithThisJvm);
    startTaskManagers(conf, stopWithThisJvm);
    awaitTaskManagers(jobManager, started, () -> registeredTaskManagers() >= taskManagers);
  }

  /**
   * Runs {@code jar}'s {@code mainClass} in application mode, as the Flink Kubernetes Operator
   * does on AKS: a JobManager that runs {@code main()} itself, and the TaskManagers; returns the
   * JobManager's exit code once the application has ended (0: it succeeded). The JobManager's log
   * (with everything main() printed) is {@link #jobManagerLog()}.
   */
  public int runApplication(Path jar, String mainClass, List<String> args, Duration timeout) {
    if (jobManager.process().isPresent()) {
      throw new IllegalStateException("A Flink JobManager already runs in " + home);
    }
    Path conf = writeConfig();
    List<String> entryPoint = new ArrayList<>(List.of("--jar", jar.toAbsolutePath().toString(), "--class", mainClass));
    entryPoint.addAll(args);
    List<String> command = command("GET_JM_RESOURCE_PARAMS", conf, "jobmanager",
        "io.ehbeam.localflink.LocalApplicationEntryPoint", entryPoint.toArray(new String[0]));
    // The entry point is this module's own class: add the module to the JobManager's classpath.
    int cp = command.indexOf("-cp") + 1;
    command.set(cp, command.get(cp) + java.io.File.pathSeparator + ownCodeLocation());
    Process jm = jobManager.start(command, environment, true);
    try {
      startTaskManagers(conf, true);
      if (!jm.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("The application did not end within " + timeout.toSeconds() + " s; see " + jobManagerLog());
      }
      return jm.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      stop();
    }
  }

  private void startTaskManagers(Path conf, boolean stopWithThisJvm) {
    for (int i = 1; i <= taskManagers; i++) {
      startTaskManager(i, conf, stopWithThisJvm);
    }
  }

  private void startTaskManager(int i, Path conf, boolean stopWithThisJvm) {
    taskManager(i).start(
        command("GET_TM_RESOURCE_PARAMS", conf, "taskmanager-" + i,
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner"),
        environment, stopWithThisJvm);
  }

  /** Starts the TaskManagers whose process is gone; waits until the JobManager has registered them. */
  private void replaceDeadTaskManagers(boolean stopWithThisJvm) {
    List<String> before = taskManagerIds();
    Instant started = Instant.now();
    int replaced = 0;
    for (int i = 1; i <= taskManagers; i++) {
      if (taskManager(i).process().isEmpty()) {
        startTaskManager(i, home.resolve("conf"), stopWithThisJvm);
        replaced++;
      }
    }
    int expected = replaced;
    // The JobManager may still list the dead ones (until their heartbeat times out): count new ids.
    awaitTaskManagers(jobManager, started,
        () -> registeredTaskManagers() >= 1 && taskManagerIds().stream().filter(id -> !before.contains(id)).count() >= expected);
  }

  /** The TaskManagers' processes that run now (a test kills them to crash the workers). */
  public List<ProcessHandle> taskManagerProcesses() {
    List<ProcessHandle> running = new ArrayList<>();
    for (int i = 1; i <= taskManagers; i++) {
      taskManager(i).process().ifPresent(running::add);
    }
    return running;
  }

  /** The ids of the TaskManagers the JobManager lists (dead ones too, until their heartbeat times out). */
  public List<String> taskManagerIds() {
    List<String> ids = new ArrayList<>();
    Matcher m = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(rest("/taskmanagers"));
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  /** Stops the TaskManagers, then the JobManager. Checkpoints and savepoints stay. */
  @Override
  public synchronized void stop() {
    for (int i = 1; i <= Math.max(taskManagers, countTaskManagerPidFiles()); i++) {
      taskManager(i).stop(STOP_TIMEOUT);
    }
    jobManager.stop(STOP_TIMEOUT);
  }

  /** How many TaskManagers the JobManager knows, or -1 when its REST endpoint does not answer. */
  public int registeredTaskManagers() {
    Matcher m = TASK_MANAGERS.matcher(rest("/overview"));
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** How many jobs this cluster ran to the end (FINISHED). */
  public int finishedJobs() {
    Matcher m = FINISHED_JOB.matcher(rest("/jobs/overview"));
    int finished = 0;
    while (m.find()) {
      finished++;
    }
    return finished;
  }

  /** Ids of the jobs in a state (RUNNING, FINISHED, ...), from the REST endpoint. */
  public List<String> jobs(String state) {
    List<String> ids = new ArrayList<>();
    Matcher m = Pattern.compile("\"jid\":\"([0-9a-f]+)\",\"name\":\"[^\"]*\",(?:[^{}]*?)\"state\":\"" + state + "\"")
        .matcher(rest("/jobs/overview"));
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  /** A job's state (RUNNING, RESTARTING, FINISHED, ...), or "" when the REST endpoint does not answer. */
  public String jobState(String jobId) {
    Matcher m = Pattern.compile("\"state\":\"([A-Z_]+)\"").matcher(rest("/jobs/" + jobId));
    return m.find() ? m.group(1) : "";
  }

  /** Cancels a job, as the web UI's cancel button does. */
  public void cancel(String jobId) {
    send("PATCH", "/jobs/" + jobId + "?mode=cancel", "");
  }

  /**
   * Stops a job with a savepoint in the cluster's savepoint folder, as {@code flink stop} does, and
   * returns the savepoint's location: the job starts again from it with {@code --savepointPath}.
   */
  public String stopWithSavepoint(String jobId, Duration timeout) {
    String trigger = send("POST", "/jobs/" + jobId + "/stop", "{\"drain\":false}");
    Matcher request = Pattern.compile("\"request-id\":\"([^\"]+)\"").matcher(trigger);
    if (!request.find()) {
      throw new IllegalStateException("Flink did not take the stop of job " + jobId + ": " + trigger);
    }
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      String status = rest("/jobs/" + jobId + "/savepoints/" + request.group(1));
      if (status.contains("\"COMPLETED\"")) {
        Matcher location = Pattern.compile("\"location\":\"([^\"]+)\"").matcher(status);
        if (location.find()) {
          return location.group(1);
        }
        throw new IllegalStateException("The savepoint of job " + jobId + " failed: " + status);
      }
      pause(Duration.ofMillis(500));
    }
    throw new IllegalStateException("The savepoint of job " + jobId + " did not complete within " + timeout);
  }

  /** CPU time the TaskManager processes have used so far (what a job running on them costs). */
  public Duration taskManagersCpuTime() {
    Duration total = Duration.ZERO;
    for (int i = 1; i <= taskManagers; i++) {
      total = total.plus(taskManager(i).process().flatMap(p -> p.info().totalCpuDuration()).orElse(Duration.ZERO));
    }
    return total;
  }

  private String send(String method, String path, String json) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://" + restAddress() + path))
              .header("Content-Type", "application/json")
              .method(method, json.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
              .timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis()); // between polls of the REST endpoint
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The body of a GET on the REST endpoint (what the web UI shows), or "" when it does not answer. */
  public String rest(String path) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://" + restAddress() + path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  public Path jobManagerLog() {
    return jobManager.logFile();
  }

  private void awaitTaskManagers(LocalProcess process, Instant started, java.util.function.BooleanSupplier registered) {
    process.awaitReady("The Flink JobManager", () -> {
      for (int i = 1; i <= taskManagers; i++) {
        LocalProcess tm = taskManager(i);
        if (tm.process().isEmpty()) {
          throw new IllegalStateException("TaskManager " + i + " exited; its log " + tm.logFile()
              + " ends with:\n" + tm.tail(30));
        }
      }
      return registered.getAsBoolean();
    }, started, START_TIMEOUT);
  }

  private LocalProcess taskManager(int i) {
    return new LocalProcess(home, "taskmanager-" + i);
  }

  private int countTaskManagerPidFiles() {
    try (var files = Files.list(home)) {
      return (int) files.filter(p -> p.getFileName().toString().matches("taskmanager-\\d+\\.pid")).count();
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * A Flink process's command line, as Flink's scripts build it: JVM memory flags and dynamic
   * memory settings from {@code BashJavaUtils}, then the entry point with the configuration folder.
   */
  private List<String> command(String resourceParams, Path conf, String logName, String mainClass, String... args) {
    List<String> params = bashJavaUtils(resourceParams, conf);
    List<String> command = new ArrayList<>();
    command.add(LocalProcess.javaBin());
    command.addAll(Arrays.asList(params.get(0).trim().split("\\s+")));
    command.addAll(JAVA17_FLAGS);
    // The web UI shows the file named by log.file; the process's output goes there.
    command.add("-Dlog.file=" + home.resolve(logName + ".log"));
    command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    command.add("-Dorg.slf4j.simpleLogger.log.org.apache.flink.runtime.checkpoint=warn");
    command.add("-cp");
    command.add(classpath());
    command.add(mainClass);
    command.add("--configDir");
    command.add(conf.toString());
    // "-D key=value" pairs, before the entry point's own arguments (an application's come last).
    for (String dynamic : params.get(1).trim().split("\\s+")) {
      if (!dynamic.isEmpty()) {
        command.add(dynamic);
      }
    }
    command.addAll(Arrays.asList(args));
    return command;
  }

  private List<String> bashJavaUtils(String what, Path conf) {
    try {
      Process process = new ProcessBuilder(LocalProcess.javaBin(), "-cp", classpath(),
              "org.apache.flink.runtime.util.bash.BashJavaUtils", what, "--configDir", conf.toString())
          .redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException("Flink's BashJavaUtils " + what + " failed:\n" + output);
      }
      List<String> results = new ArrayList<>();
      for (String line : output.split("\n")) {
        if (line.startsWith(BASH_JAVA_UTILS_PREFIX)) {
          results.add(line.substring(BASH_JAVA_UTILS_PREFIX.length()));
        }
      }
      if (results.size() < 2) {
        throw new IllegalStateException("Flink's BashJavaUtils " + what + " printed no settings:\n" + output);
      }
      return results.subList(results.size() - 2, results.size());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while computing Flink's memory settings", e);
    }
  }

  private Path writeConfig() {
    Path conf = home.resolve("conf");
    try {
      Files.createDirectories(conf);
      Files.createDirectories(home.resolve("tmp"));
      String config = String.join("\n",
          "# Written by ehbeam local-flink on every start.",
          "jobmanager.rpc.address: localhost",
          "jobmanager.rpc.port: " + rpcPort,
          "jobmanager.bind-host: localhost",
          "jobmanager.memory.process.size: 1024m",
          "taskmanager.host: localhost",
          "taskmanager.bind-host: localhost",
          "taskmanager.numberOfTaskSlots: " + slotsPerTaskManager,
          "taskmanager.memory.process.size: 2048m",
          // The heap state backend uses no managed memory: give it to the heap instead.
          "taskmanager.memory.managed.fraction: 0.1",
          // Each job loads the whole jar in its own class loader; a TaskManager running many jobs
          // ran out of Flink's default 256 MB of metaspace (found by the cluster tests); three at once need more.
          "taskmanager.memory.jvm-metaspace.size: 768m",
          "parallelism.default: " + slotsPerTaskManager,
          "rest.address: localhost",
          "rest.bind-address: localhost",
          "rest.port: " + restPort,
          "io.tmp.dirs: " + home.resolve("tmp"),
          "web.upload.dir: " + home.resolve("uploads"),
          "state.backend.type: hashmap",
          "state.checkpoints.dir: " + checkpoints().toUri(),
          "state.savepoints.dir: " + home.resolve("savepoints").toUri(),
          // Beam's runner keeps references its own class loader tracks: Flink's check would fail jobs.
          "classloader.check-leaked-classloader: false",
          // A killed TaskManager is noticed in 10 s instead of 50 (crash tests, quicker failover).
          "heartbeat.interval: 2000",
          "heartbeat.timeout: 10000",
          // Application mode: main() waits for its job (it reports the job's counters, and a
          // bounded job's end ends the application); detached, Beam gets no result.
          "execution.attached: true",
          "");
      Files.writeString(conf.resolve("config.yaml"), config);
      return conf;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the Flink configuration in " + conf, e);
    }
  }

  /** Where this module's classes are (a jar or a classes folder). */
  private static String ownCodeLocation() {
    try {
      return Path.of(LocalFlink.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static String classpath() {
    return LocalProcess.classpath(LocalFlink.class, "cluster.classpath", "runners/local-flink");
  }
}
