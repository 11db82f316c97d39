package io.ehbeam.localflink;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.client.deployment.application.ApplicationClusterEntryPoint;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.entrypoint.ClusterEntrypoint;
import org.apache.flink.runtime.resourcemanager.StandaloneResourceManagerFactory;

/**
 * A JobManager in application mode, as the Flink Kubernetes Operator runs one on AKS: the
 * application's {@code main()} runs inside this process, and the cluster shuts down when it
 * returns (exit code 0) or fails (non-zero). The same as Flink's own
 * StandaloneApplicationClusterEntryPoint, whose module (flink-container) is not served here.
 *
 * <p>Runs in the cluster's JVM (Flink on the classpath), never in the launcher's. Arguments:
 * {@code --configDir <dir> [-D key=value ...] --jar <application jar> --class <main class> [application args...]}.
 */
public final class LocalApplicationEntryPoint extends ApplicationClusterEntryPoint {
  private LocalApplicationEntryPoint(Configuration configuration, PackagedProgram program) {
    super(configuration, program, StandaloneResourceManagerFactory.getInstance());
  }

  public static void main(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    if (rest.size() < 2 || !rest.get(0).equals("--configDir")) {
      usage();
    }
    Configuration configuration = GlobalConfiguration.loadConfiguration(rest.get(1));
    rest = rest.subList(2, rest.size());
    // Dynamic settings, as Flink's scripts pass them: -D key=value.
    while (rest.size() >= 2 && rest.get(0).equals("-D")) {
      String[] kv = rest.get(1).split("=", 2);
      configuration.setString(kv[0], kv[1]);
      rest = rest.subList(2, rest.size());
    }
    if (rest.size() < 4 || !rest.get(0).equals("--jar") || !rest.get(2).equals("--class")) {
      usage();
    }
    PackagedProgram program = PackagedProgram.newBuilder()
        .setJarFile(new File(rest.get(1)))
        .setEntryPointClassName(rest.get(3))
        .setConfiguration(configuration)
        .setArguments(rest.subList(4, rest.size()).toArray(new String[0]))
        .build();
    configureExecution(configuration, program);
    ClusterEntrypoint.runClusterEntrypoint(new LocalApplicationEntryPoint(configuration, program));
  }

  private static void usage() {
    System.err.println("Usage: LocalApplicationEntryPoint --configDir <dir> [-D key=value ...] --jar <jar> --class <main class> [args...]");
    System.exit(2);
  }
}
