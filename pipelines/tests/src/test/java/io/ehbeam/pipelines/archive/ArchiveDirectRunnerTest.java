package io.ehbeam.pipelines.archive;

import io.ehbeam.pipelines.testing.ArchiveScenario;
import org.junit.jupiter.api.Test;

class ArchiveDirectRunnerTest {
  @Test
  void sampleWeekAsJsonParquetAndAvroOnTheDirectRunner() {
    ArchiveScenario.sampleWeek("direct", "--runner=DirectRunner");
  }
}
