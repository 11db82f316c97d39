package io.ehbeam.runners.spark;

import io.ehbeam.pipelines.testing.RelayKillRestart;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming relay on Spark, its driver killed with SIGKILL mid-stream and started again from its checkpoint folder: nothing lost. */
class RelayKillRestartSparkTest {
  @Test
  void relayRecoversFromItsCheckpointAfterTheDriverIsKilled() throws Exception {
    String checkpoints = Files.createTempDirectory("spark-relay-checkpoints").toString();
    RelayKillRestart.verify("spark relay kill -9 and restart",
        List.of("--runner=SparkRunner", "--sparkMaster=local[2]", "--checkpointDir=" + checkpoints));
  }
}
