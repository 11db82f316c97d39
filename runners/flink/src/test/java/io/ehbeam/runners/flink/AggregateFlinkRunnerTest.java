package io.ehbeam.runners.flink;

import io.ehbeam.pipelines.testing.AggregateScenario;
import org.junit.jupiter.api.Test;

class AggregateFlinkRunnerTest {
  @Test
  void monthlyStatisticsOfAFullYearOnFlink() {
    AggregateScenario.fullYear("flink", "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
  }
}
