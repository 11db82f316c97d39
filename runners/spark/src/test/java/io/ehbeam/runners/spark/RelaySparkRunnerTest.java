package io.ehbeam.runners.spark;

import io.ehbeam.pipelines.testing.RelayScenario;
import org.junit.jupiter.api.Test;

/** The relay on Apache Spark 3.5 (local[2] in this JVM, Java 17 flags from the pom), against the real broker. */
class RelaySparkRunnerTest {
  @Test
  void relaysEveryEventOnceOnSpark() {
    RelayScenario.runAndVerify("spark", 2000, "--runner=SparkRunner", "--sparkMaster=local[2]");
  }
}
