package io.ehbeam.runners.flink;

import io.ehbeam.pipelines.testing.RelayScenario;
import org.junit.jupiter.api.Test;

/** The relay on Apache Flink 1.19 (an embedded [local] cluster in this JVM), against the real broker. */
class RelayFlinkRunnerTest {
  @Test
  void relaysEveryEventOnceOnFlink() {
    RelayScenario.runAndVerify("flink", 2000, "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
  }
}
