package io.ehbeam.localspark;

import io.ehbeam.local.LocalProcess;
import io.ehbeam.local.LocalServiceCommand;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Spark 3.5 standalone cluster on this machine: a master and a worker, each its own JVM
 * (Spark's {@code Master} and {@code Worker} from spark-core), with the Java 17 flags Spark needs.
 * The worker starts executors for each application the way a Spark distribution does: from a Spark
 * home whose {@code jars/} folder this launcher lays out from the Maven-resolved jars.
 */
public final class LocalSpark implements LocalServiceCommand.Service {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

  private final Path home;
  private final int masterPort;
  private final int masterUiPort;
  private final int workerUiPort;
  private final int workerCores;
  private final String workerMemory;
  private final LocalProcess master;
  private final LocalProcess worker;
  private final Release release;

  /** Which Spark the cluster runs: the project's own, or the one a managed platform ships. */
  public enum Release {
    /** The Spark the project builds and tests against (the parent pom's spark.version). */
    PROJECT("cluster.classpath", "runners/local-spark"),
    /** Spark 3.3.1, as Azure HDInsight 5.1 ships it (runners/local-spark-hdinsight resolves it). */
    HDINSIGHT_5_1("hdinsight-5.1.classpath", "runners/local-spark-hdinsight");

    final String classpathResource;
    final String module;

    Release(String classpathResource, String module) {
      this.classpathResource = classpathResource;
      this.module = module;
    }
  }

  public LocalSpark(Path home, int masterPort, int masterUiPort, int workerUiPort, int workerCores, String workerMemory) {
    this(home, masterPort, masterUiPort, workerUiPort, workerCores, workerMemory, Release.PROJECT);
  }

  public LocalSpark(Path home, int masterPort, int masterUiPort, int workerUiPort, int workerCores, String workerMemory,
      Release release) {
    this.release = release;
    this.home = home.toAbsolutePath();
    this.masterPort = masterPort;
    this.masterUiPort = masterUiPort;
    this.workerUiPort = workerUiPort;
    this.workerCores = workerCores;
    this.workerMemory = workerMemory;
    this.master = new LocalProcess(this.home, "master");
    this.worker = new LocalProcess(this.home, "worker");
  }

  /** What {@code --sparkMaster} and {@code spark-submit --master} take. */
  @Override
  public String name() {
    return "the local Spark cluster";
  }

  @Override
  public String address() {
    return masterUrl();
  }

  @Override
  public String howToUse() {
    return "with " + aliveWorkers() + " worker(s); web UI " + webUi() + "; run a pipeline on it with"
        + " --runner=SparkRunner --sparkMaster=" + masterUrl();
  }

  @Override
  public String whatStopKeeps() {
    return "; application logs stay in " + workDir();
  }

  public String masterUrl() {
    return "spark://localhost:" + masterPort;
  }

  public String webUi() {
    return "http://localhost:" + masterUiPort;
  }

  @Override
  public Path home() {
    return home;
  }

  /** Where the worker keeps each application's executor logs and each cluster-mode driver's output. */
  public Path workDir() {
    return home.resolve("work");
  }

  @Override
  public boolean isRunning() {
    return master.process().isPresent() && aliveWorkers() >= 1;
  }

  /** Starts the master, then the worker, unless they run; waits until the worker is registered. */
  @Override
  public synchronized void start(boolean stopWithThisJvm) {
    if (master.process().isPresent()) {
      master.awaitReady("The Spark master", () -> aliveWorkers() >= 1, Instant.now(), START_TIMEOUT);
      return;
    }
    if (LocalProcess.answers(masterPort) || LocalProcess.answers(masterUiPort)) {
      throw new IllegalStateException("Port " + masterPort + " or " + masterUiPort
          + " is taken by another program; stop it or choose other ports (EHBEAM_LOCAL_SPARK_PORT)");
    }
    Path sparkHome = layOutSparkHome();
    Map<String, String> environment = Map.of(
        "SPARK_HOME", sparkHome.toString(),
        // Spark's launcher asks for it before it looks for SPARK_HOME/jars.
        "SPARK_SCALA_VERSION", "2.12",
        "SPARK_LOCAL_IP", "127.0.0.1");
    Instant started = Instant.now();
    master.start(command("org.apache.spark.deploy.master.Master",
        "--host", "localhost", "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(masterUiPort)),
        environment, stopWithThisJvm);
    master.awaitReady("The Spark master", () -> master.logContains("New state: ALIVE") && LocalProcess.answers(masterPort),
        started, START_TIMEOUT);
    worker.start(command("org.apache.spark.deploy.worker.Worker",
        "--host", "localhost", "--webui-port", Integer.toString(workerUiPort),
        "--cores", Integer.toString(workerCores), "--memory", workerMemory,
        "--work-dir", workDir().toString(), masterUrl()),
        environment, stopWithThisJvm);
    worker.awaitReady("The Spark worker", () -> worker.logContains("Successfully registered with master")
        && aliveWorkers() >= 1, started, START_TIMEOUT);
  }

  /** Stops the worker (and with it its executors), then the master. */
  @Override
  public synchronized void stop() {
    worker.stop(STOP_TIMEOUT);
    master.stop(STOP_TIMEOUT);
  }

  /** Workers the master counts as alive, or -1 when its web UI does not answer. */
  public int aliveWorkers() {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(webUi() + "/json/")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      Matcher m = ALIVE_WORKERS.matcher(response.body());
      return response.statusCode() == 200 && m.find() ? Integer.parseInt(m.group(1)) : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  public Path masterLog() {
    return master.logFile();
  }

  public Path workerLog() {
    return worker.logFile();
  }

  private List<String> command(String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(LocalProcess.javaBin());
    command.add("-Xmx512m");
    command.addAll(javaFlags());
    command.add("-cp");
    command.add(classpath(release));
    command.add(mainClass);
    command.addAll(Arrays.asList(args));
    return command;
  }

  /**
   * A Spark home as a distribution has it, as far as a worker needs: {@code jars/} with every jar
   * of Spark's classpath (links into the local Maven repository).
   */
  private Path layOutSparkHome() {
    Path jars = home.resolve("spark-home/jars");
    try {
      if (Files.exists(jars)) {
        try (var old = Files.list(jars)) {
          for (Path p : (Iterable<Path>) old::iterator) {
            Files.delete(p);
          }
        }
      }
      Files.createDirectories(jars);
      Set<String> names = new HashSet<>();
      for (String jar : classpath(release).split(File.pathSeparator)) {
        Path source = Path.of(jar);
        String name = source.getFileName().toString();
        if (!names.add(name)) {
          name = names.size() + "-" + name;
          names.add(name);
        }
        Files.createSymbolicLink(jars.resolve(name), source);
      }
      return jars.getParent();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot lay out a Spark home in " + jars.getParent(), e);
    }
  }

  /** Spark's Java 17 flags: the parent pom's jvm.flags.spark, copied into this module at build. */
  public static List<String> javaFlags() {
    try (InputStream in = LocalSpark.class.getResourceAsStream("spark-jvm.flags")) {
      if (in == null) {
        throw new IllegalStateException("spark-jvm.flags is missing: build runners/local-spark with Maven");
      }
      return Arrays.asList(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Spark's own jars for this cluster's release: what a spark-submit of that release runs with. */
  public String clusterClasspath() {
    return classpath(release);
  }

  static String classpath(Release release) {
    return LocalProcess.classpath(LocalSpark.class, release.classpathResource, release.module);
  }
}
