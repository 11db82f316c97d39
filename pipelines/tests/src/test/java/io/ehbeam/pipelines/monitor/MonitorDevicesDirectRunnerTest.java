package io.ehbeam.pipelines.monitor;

import io.ehbeam.pipelines.testing.JobLauncher;
import io.ehbeam.pipelines.testing.MonitorScenario;
import org.junit.jupiter.api.Test;

class MonitorDevicesDirectRunnerTest {
  @Test
  void everyAlertOfThreeHundredDevicesOnceOnTheDirectRunner() throws Exception {
    MonitorScenario.runAndVerify("monitor-direct", 300, JobLauncher.IN_THIS_JVM);
  }
}
