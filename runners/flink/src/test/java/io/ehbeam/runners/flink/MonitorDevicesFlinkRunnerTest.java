package io.ehbeam.runners.flink;

import io.ehbeam.pipelines.testing.JobLauncher;
import io.ehbeam.pipelines.testing.MonitorScenario;
import org.junit.jupiter.api.Test;

/** Device monitoring on Apache Flink 1.19 (an embedded [local] cluster): state and event-time timers per device. */
class MonitorDevicesFlinkRunnerTest {
  @Test
  void everyAlertOfThreeHundredDevicesOnceOnFlink() throws Exception {
    MonitorScenario.runAndVerify("monitor-flink", 300, JobLauncher.IN_THIS_JVM,
        "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
  }
}
