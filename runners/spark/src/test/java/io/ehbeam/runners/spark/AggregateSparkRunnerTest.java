package io.ehbeam.runners.spark;

import io.ehbeam.pipelines.testing.AggregateScenario;
import org.junit.jupiter.api.Test;

class AggregateSparkRunnerTest {
  @Test
  void monthlyStatisticsOfAFullYearOnSpark() {
    AggregateScenario.fullYear("spark", "--runner=SparkRunner", "--sparkMaster=local[2]");
  }
}
