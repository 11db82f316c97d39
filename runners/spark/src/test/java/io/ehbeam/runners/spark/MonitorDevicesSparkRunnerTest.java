package io.ehbeam.runners.spark;

import io.ehbeam.pipelines.testing.JobLauncher;
import io.ehbeam.pipelines.testing.MonitorScenario;
import org.junit.jupiter.api.Test;

/** Device monitoring on Apache Spark 3.5 (local[2] in this JVM): state and event-time timers per device. */
class MonitorDevicesSparkRunnerTest {
  @Test
  void everyAlertOfThreeHundredDevicesOnceOnSpark() throws Exception {
    MonitorScenario.runAndVerify("monitor-spark", 300, JobLauncher.IN_THIS_JVM, "--runner=SparkRunner", "--sparkMaster=local[2]");
  }
}
