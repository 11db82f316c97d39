package io.ehbeam.runners.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.local.LocalProcess;
import io.ehbeam.localspark.LocalSpark;
import io.ehbeam.pipelines.testing.AggregateScenario;
import io.ehbeam.pipelines.testing.JobLauncher;
import io.ehbeam.pipelines.testing.RelayScenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundled jar on a real Spark 3.5 standalone cluster (a master and a worker, each its own
 * process; executors started by the worker), submitted as a user submits it: {@code ./run
 * <pipeline> --runner=SparkRunner --sparkMaster=spark://host:port}, through Spark's SparkSubmit,
 * with the driver here (client mode) or on the worker (cluster mode).
 */
class SparkClusterIT {
  static LocalSpark cluster;
  static JobLauncher runScript;

  @BeforeAll
  static void startCluster() {
    int uiPort = LocalProcess.freePort();
    cluster = new LocalSpark(Path.of("target", "spark-cluster"), LocalProcess.freePort(), uiPort,
        LocalProcess.freePort(), 2, "3g");
    cluster.start(true);
    // Where ./run looks for a cluster-mode driver's output and asks for its final state.
    runScript = JobLauncher.runScript(Map.of(
        "EHBEAM_LOCAL_SPARK_HOME", cluster.home().toString(),
        "EHBEAM_LOCAL_SPARK_UI_PORT", Integer.toString(uiPort)), Duration.ofMinutes(5));
  }

  @AfterAll
  static void stopCluster() {
    cluster.stop();
  }

  @Test
  void relaysEveryEventOnceWithTheDriverHere() {
    long applications = count("app-");
    RelayScenario.runAndVerify("spark-cluster", 3000, runScript,
        "--runner=SparkRunner", "--sparkMaster=" + cluster.masterUrl());
    assertThat(count("app-")).as("applications the worker ran executors for").isEqualTo(applications + 1);
  }

  @Test
  void aggregatesAFullYearWithTheDriverOnTheCluster() {
    long drivers = count("driver-");
    AggregateScenario.fullYear("spark-cluster", runScript,
        "--runner=SparkRunner", "--sparkMaster=" + cluster.masterUrl(), "--sparkDeployMode=cluster");
    assertThat(count("driver-")).as("drivers the worker ran (produce, aggregate)").isEqualTo(drivers + 2);
  }

  /** Folders in the worker's work directory: one per application (executors) or per cluster-mode driver. */
  static long count(String prefix) {
    if (!Files.exists(cluster.workDir())) {
      return 0;
    }
    try (Stream<Path> entries = Files.list(cluster.workDir())) {
      return entries.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
