package io.ehbeam.runners.spark;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ehbeam.pipelines.testing.HubFixture;
import io.ehbeam.pipelines.testing.JobLauncher;
import io.ehbeam.pipelines.testing.MonitorScenario;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Device monitoring on Apache Spark 3.5 (local[2] in this JVM): state and event-time timers per device. */
class MonitorDevicesSparkRunnerTest {
  @Test
  void everyAlertOfThreeHundredDevicesOnceOnSpark() throws Exception {
    MonitorScenario.runAndVerify("monitor-spark", 300, JobLauncher.IN_THIS_JVM, "--runner=SparkRunner", "--sparkMaster=local[2]");
  }

  @Test
  void streamingIsRefusedInOneLineBeforeAnythingRuns() {
    HubFixture hub = HubFixture.plain();
    String input = hub.newTopic("monitor-spark-streaming", 2);
    assertThatThrownBy(() -> JobLauncher.IN_THIS_JVM.run("monitor-devices", List.of("--runner=SparkRunner",
            "--sparkMaster=local[2]", "--bootstrapServers=" + hub.bootstrapServers(), "--inputTopic=" + input)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("monitor-devices keeps an event-time timer per device, which Beam's SparkRunner runs in batch only:"
            + " add --stopAtEnd=true (read what is there, then stop) or use --runner=FlinkRunner");
  }
}
