package io.ehbeam.localflink;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code ./run local-flink start|stop|status|savepoint <job id>}: the laptop's Flink session
 * cluster, its REST endpoint and web UI on port 8081 by default, its state under
 * {@code .local/flink} (git-ignored); {@code savepoint} stops a job with a savepoint.
 */
public final class LocalFlinkCommand {
  public static final int DEFAULT_PORT = 8081;

  private LocalFlinkCommand() {}

  static LocalFlink defaultCluster() {
    String home = System.getProperty("ehbeam.localFlinkHome", ".local/flink");
    int port = Integer.parseInt(System.getenv().getOrDefault("EHBEAM_LOCAL_FLINK_PORT", Integer.toString(DEFAULT_PORT)));
    int taskManagers = Integer.parseInt(System.getenv().getOrDefault("EHBEAM_LOCAL_FLINK_TASKMANAGERS", "1"));
    int slots = Integer.parseInt(System.getenv().getOrDefault("EHBEAM_LOCAL_FLINK_SLOTS", "2"));
    return new LocalFlink(Path.of(home), port, port + 100, taskManagers, slots);
  }

  /** @return the process exit code */
  public static int run(String[] args) {
    String action = args.length == 0 ? "status" : args[0];
    LocalFlink flink = defaultCluster();
    switch (action) {
      case "start":
        boolean wasRunning = flink.isRunning();
        if (!wasRunning) {
          System.err.println("Starting a local Flink session cluster (state and logs in " + flink.home() + ") ...");
        }
        flink.start(false);
        printAddress(flink, wasRunning ? "The local Flink cluster already runs" : "The local Flink cluster runs");
        return 0;
      case "stop":
        flink.stop();
        System.err.println("The local Flink cluster is stopped; checkpoints and savepoints are kept in " + flink.home());
        return 0;
      case "status":
        if (flink.isRunning()) {
          printAddress(flink, "The local Flink cluster runs");
          return 0;
        }
        System.err.println("The local Flink cluster is not running (./run local-flink start).");
        return 3;
      case "savepoint":
        if (args.length != 2) {
          System.err.println("Usage: ./run local-flink savepoint <job id>   (ids: web UI, or GET /jobs on " + flink.restAddress() + ")");
          return 2;
        }
        if (!flink.isRunning()) {
          System.err.println("The local Flink cluster is not running (./run local-flink start).");
          return 3;
        }
        String location;
        try {
          location = flink.stopWithSavepoint(args[1], Duration.ofMinutes(5));
        } catch (RuntimeException e) {
          System.err.println("error: " + e.getMessage());
          return 1;
        }
        System.err.println("Job " + args[1] + " stopped with a savepoint; start it again from there with the same"
            + " arguments plus --savepointPath=" + location);
        System.out.println(location);
        return 0;
      default:
        System.err.println("Usage: ./run local-flink start|stop|status|savepoint <job id>");
        return 2;
    }
  }

  private static void printAddress(LocalFlink flink, String what) {
    System.err.println(what + " with " + flink.registeredTaskManagers() + " TaskManager(s); web UI http://"
        + flink.restAddress() + "; run a pipeline on it with --runner=FlinkRunner --flinkMaster=" + flink.restAddress());
    System.out.println(flink.restAddress());
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }
}
