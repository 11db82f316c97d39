package io.ehbeam.localspark;

import io.ehbeam.local.LocalServiceCommand;
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
    return new LocalServiceCommand("local-spark", defaultCluster()).run(args);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }
}
