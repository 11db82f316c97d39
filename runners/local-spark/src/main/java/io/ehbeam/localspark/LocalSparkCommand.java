package io.ehbeam.localspark;

import java.nio.file.Path;

/**
 * {@code ./run local-spark start|stop|status}: the laptop's Spark standalone cluster, master on
 * port 7077 (web UI 8080, worker UI 8082) by default, its state under {@code .local/spark}.
 */
public final class LocalSparkCommand {
  public static final int DEFAULT_PORT = 7077;

  private LocalSparkCommand() {}

  static LocalSpark defaultCluster() {
    String home = System.getProperty("ehbeam.localSparkHome", ".local/spark");
    int port = Integer.parseInt(System.getenv().getOrDefault("EHBEAM_LOCAL_SPARK_PORT", Integer.toString(DEFAULT_PORT)));
    int uiPort = Integer.parseInt(System.getenv().getOrDefault("EHBEAM_LOCAL_SPARK_UI_PORT", "8080"));
    int cores = Integer.parseInt(System.getenv().getOrDefault("EHBEAM_LOCAL_SPARK_CORES", "2"));
    String memory = System.getenv().getOrDefault("EHBEAM_LOCAL_SPARK_MEMORY", "3g");
    return new LocalSpark(Path.of(home), port, uiPort, uiPort + 2, cores, memory);
  }

  /** @return the process exit code */
  public static int run(String[] args) {
    String action = args.length == 0 ? "status" : args[0];
    LocalSpark spark = defaultCluster();
    switch (action) {
      case "start":
        boolean wasRunning = spark.isRunning();
        if (!wasRunning) {
          System.err.println("Starting a local Spark standalone cluster (state and logs in " + spark.home() + ") ...");
        }
        spark.start(false);
        printAddress(spark, wasRunning ? "The local Spark cluster already runs" : "The local Spark cluster runs");
        return 0;
      case "stop":
        spark.stop();
        System.err.println("The local Spark cluster is stopped; application logs stay in " + spark.workDir());
        return 0;
      case "status":
        if (spark.isRunning()) {
          printAddress(spark, "The local Spark cluster runs");
          return 0;
        }
        System.err.println("The local Spark cluster is not running (./run local-spark start).");
        return 3;
      default:
        System.err.println("Usage: ./run local-spark start|stop|status");
        return 2;
    }
  }

  private static void printAddress(LocalSpark spark, String what) {
    System.err.println(what + " with " + spark.aliveWorkers() + " worker(s); web UI " + spark.webUi()
        + "; run a pipeline on it with --runner=SparkRunner --sparkMaster=" + spark.masterUrl());
    System.out.println(spark.masterUrl());
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }
}
