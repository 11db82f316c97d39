package io.ehbeam.localflink;

import io.ehbeam.local.LocalServiceCommand;
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
    LocalFlink flink = defaultCluster();
    LocalServiceCommand command = new LocalServiceCommand("local-flink", flink);
    return command.with("savepoint", "<job id>", verb -> {
      if (verb.length != 2) {
        System.err.println("Usage: ./run local-flink savepoint <job id>   (ids: web UI, or GET /jobs on " + flink.restAddress() + ")");
        return 2;
      }
      if (!command.requireRunning()) {
        return 3;
      }
      try {
        String location = flink.stopWithSavepoint(verb[1], Duration.ofMinutes(5));
        System.err.println("Job " + verb[1] + " stopped with a savepoint; start it again from there with the same"
            + " arguments plus --savepointPath=" + location);
        System.out.println(location);
        return 0;
      } catch (RuntimeException e) {
        System.err.println("error: " + e.getMessage());
        return 1;
      }
    }).run(args);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }
}
