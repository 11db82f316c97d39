package io.ehbeam.runners.flink;

import io.ehbeam.pipelines.testing.ArchiveScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code --format=delta} on the in-process FlinkRunner: one version per window from two parallel writers. */
class ArchiveDeltaFlinkTest {
  @Test
  void sampleWeekAsADeltaTableOnFlink() throws Exception {
    Path table = Files.createTempDirectory("ehbeam-delta-flink-");
    ArchiveScenario.sampleWeekAsDelta("flink", table.toString(), () -> table, false,
        "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
  }
}
