package io.ehbeam.runners.spark;

import io.ehbeam.pipelines.testing.ArchiveScenario;
import org.junit.jupiter.api.Test;

class ArchiveSparkRunnerTest {
  @Test
  void sampleWeekAsJsonParquetAndAvroOnSpark() {
    ArchiveScenario.sampleWeek("spark", "--runner=SparkRunner", "--sparkMaster=local[2]");
  }
}
