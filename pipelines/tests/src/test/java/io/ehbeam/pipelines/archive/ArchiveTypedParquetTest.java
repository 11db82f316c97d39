package io.ehbeam.pipelines.archive;

import io.ehbeam.pipelines.testing.TypedParquetScenario;
import org.junit.jupiter.api.Test;

/** {@link TypedParquetScenario} on the DirectRunner: Parquet columns typed without a --schema. */
class ArchiveTypedParquetTest {
  @Test
  void parquetWithoutASchemaHasTypedColumnsInferredFromTheEvents() throws Exception {
    TypedParquetScenario.verify("direct");
  }
}
