package io.ehbeam.runners.flink;

import io.ehbeam.pipelines.testing.ArchiveScenario;
import org.junit.jupiter.api.Test;

class ArchiveFlinkRunnerTest {
  @Test
  void sampleWeekAsJsonParquetAndAvroOnFlink() {
    ArchiveScenario.sampleWeek("flink", "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
  }
}
