package io.ehbeam.pipelines.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.pipelines.Main;
import io.ehbeam.pipelines.testing.CapturedOutput;
import io.ehbeam.pipelines.testing.HubFixture;
import io.ehbeam.pipelines.testing.ProduceScenario;
import org.junit.jupiter.api.Test;

class ProduceDirectRunnerTest {
  @Test
  void replaysTheSampleTemperaturesOnTheDirectRunner() {
    ProduceScenario.temperatures("direct", "--runner=DirectRunner");
  }

  @Test
  void pacedReplayWritesTheSameEvents() {
    ProduceScenario.temperatures("paced", "--runner=DirectRunner", "--eventsPerSecond=5000", "--speedUp=36000000");
  }

  @Test
  void simulatesDevicesOnTheDirectRunner() {
    ProduceScenario.devices("direct", 3000, "--runner=DirectRunner");
  }

  @Test
  void helpListsEveryOption() {
    CapturedOutput temperatures = CapturedOutput.of(() -> Main.run(new String[] {"produce-temperatures", "--help"}));
    assertThat(temperatures.out).contains("--input", "--locations", "--maxLocationDistanceKm", "Default: 25",
        "--eventsPerSecond", "--speedUp", "--outputTopic", "--outputConnectionString");
    CapturedOutput devices = CapturedOutput.of(() -> Main.run(new String[] {"simulate-devices", "--help"}));
    assertThat(devices.out).contains("--devices", "Default: 1000", "--eventsPerSecond", "--durationSeconds", "--count",
        "--duplicateEvery", "--devicePrefix");
  }

  @Test
  void aMissingInputIsOneClearLine() {
    CapturedOutput run = CapturedOutput.of(() -> Main.run(new String[] {"produce-temperatures",
        "--bootstrapServers=" + HubFixture.plain().bootstrapServers(), "--input=/no/such/folder/*.json"}));
    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.err).contains("error: ").contains("/no/such/folder");
  }
}
