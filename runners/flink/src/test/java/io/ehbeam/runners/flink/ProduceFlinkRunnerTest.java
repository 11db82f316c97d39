package io.ehbeam.runners.flink;

import io.ehbeam.pipelines.testing.ProduceScenario;
import org.junit.jupiter.api.Test;

/** The producing jobs on Apache Flink ([local]), against the real broker. */
class ProduceFlinkRunnerTest {
  @Test
  void replaysTheSampleTemperaturesOnFlink() {
    ProduceScenario.temperatures("flink", "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
  }

  @Test
  void simulatesDevicesOnFlink() {
    ProduceScenario.devices("flink", 3000, "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
  }
}
