package io.ehbeam.runners.spark;

import io.ehbeam.pipelines.testing.AggregateScenario;
import io.ehbeam.pipelines.testing.JobLauncher;
import org.junit.jupiter.api.Test;

class AggregateSparkRunnerTest {
  @Test
  void monthlyStatisticsOfAFullYearOnSpark() {
    // On a hub that stamps enqueue time (Event Hubs' default); FlinkRunner also checks a CreateTime hub gives the same rows.
    AggregateScenario.fullYearOnAnAppendTimeHub("spark", JobLauncher.IN_THIS_JVM, "--runner=SparkRunner", "--sparkMaster=local[2]");
  }
}
