package io.ehbeam.runners.flink;

import io.ehbeam.pipelines.testing.TypedParquetScenario;
import org.junit.jupiter.api.Test;

/** {@link TypedParquetScenario} on the in-process FlinkRunner. */
class ArchiveTypedParquetFlinkTest {
  @Test
  void parquetWithoutASchemaHasTypedColumnsOnFlink() throws Exception {
    TypedParquetScenario.verify("flink", "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
  }
}
