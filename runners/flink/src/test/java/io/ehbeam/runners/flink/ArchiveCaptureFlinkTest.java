package io.ehbeam.runners.flink;

import io.ehbeam.pipelines.testing.CaptureScenario;
import org.junit.jupiter.api.Test;

/** {@link CaptureScenario} on the in-process FlinkRunner. */
class ArchiveCaptureFlinkTest {
  @Test
  void writesWhatEventHubsCaptureWritesOnFlink() throws Exception {
    CaptureScenario.verify("flink", "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
  }
}
