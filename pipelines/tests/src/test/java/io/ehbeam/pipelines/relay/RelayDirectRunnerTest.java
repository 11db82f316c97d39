package io.ehbeam.pipelines.relay;

import io.ehbeam.pipelines.testing.RelayScenario;
import org.junit.jupiter.api.Test;

class RelayDirectRunnerTest {
  @Test
  void relaysEveryEventOnceOnTheDirectRunner() {
    RelayScenario.runAndVerify("direct", 2000, "--runner=DirectRunner");
  }
}
