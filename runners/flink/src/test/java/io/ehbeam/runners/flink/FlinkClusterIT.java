package io.ehbeam.runners.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.local.LocalProcess;
import io.ehbeam.localflink.LocalFlink;
import io.ehbeam.pipelines.testing.ArchiveScenario;
import io.ehbeam.pipelines.testing.JobLauncher;
import io.ehbeam.pipelines.testing.RelayScenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
  static LocalFlink cluster;

  @BeforeAll
  static void startCluster() {
    cluster = new LocalFlink(Path.of("target", "flink-cluster"), LocalProcess.freePort(), LocalProcess.freePort(), 1, 2);
    cluster.start(true);
  }

  @AfterAll
  static void stopCluster() {
    cluster.stop();
  }

  String[] onTheCluster() {
    return new String[] {"--runner=FlinkRunner", "--flinkMaster=" + cluster.restAddress(), "--parallelism=2"};
  }

  @Test
  void relaysEveryEventOnceOnTheCluster() {
    int finished = cluster.finishedJobs();
    RelayScenario.runAndVerify("flink-cluster", 3000, RUN_SCRIPT, onTheCluster());
    assertThat(cluster.finishedJobs()).as("jobs the cluster ran").isEqualTo(finished + 1);
  }

  @Test
  void archivesTheSampleWeekOnTheCluster() {
    int finished = cluster.finishedJobs();
    ArchiveScenario.sampleWeek("flink-cluster", RUN_SCRIPT, onTheCluster());
    assertThat(cluster.finishedJobs()).as("jobs the cluster ran (produce, archive)").isEqualTo(finished + 2);
  }
}
