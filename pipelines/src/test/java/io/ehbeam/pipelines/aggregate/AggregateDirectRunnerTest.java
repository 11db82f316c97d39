package io.ehbeam.pipelines.aggregate;

import io.ehbeam.pipelines.testing.AggregateScenario;
import org.junit.jupiter.api.Test;

class AggregateDirectRunnerTest {
  @Test
  void monthlyStatisticsOfAFullYearOnTheDirectRunner() {
    AggregateScenario.fullYear("direct", "--runner=DirectRunner");
  }

  @Test
  void devicesPresetOnASimulatorStream() {
    AggregateScenario.devices("direct", "--runner=DirectRunner");
  }
}
