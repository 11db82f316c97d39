package io.ehbeam.pipelines.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunnerDefaultsTest {
  @Test
  void directRunsFromTheJarSkipTheTestTimeChecks() {
    assertThat(RunnerDefaults.apply(new String[] {"--inputTopic=a"}))
        .containsExactly("--inputTopic=a", "--enforceImmutability=false", "--enforceEncodability=false");
    assertThat(RunnerDefaults.apply(new String[] {"--runner=direct"})).contains("--enforceImmutability=false");
  }

  @Test
  void whatTheUserSetsStays() {
    assertThat(RunnerDefaults.apply(new String[] {"--enforceImmutability=true"}))
        .containsExactly("--enforceImmutability=true", "--enforceEncodability=false");
  }

  @Test
  void flinkSkipsItsCopiesBetweenSteps() {
    assertThat(RunnerDefaults.apply(new String[] {"--runner=FlinkRunner"})).containsExactly("--runner=FlinkRunner", "--fasterCopy=true");
    assertThat(RunnerDefaults.apply(new String[] {"--runner=flink", "--fasterCopy=false"}))
        .containsExactly("--runner=flink", "--fasterCopy=false");
  }

  @Test
  void otherRunnersGetNothingTheyWouldNotKnow() {
    assertThat(RunnerDefaults.apply(new String[] {"--runner=SparkRunner"})).containsExactly("--runner=SparkRunner");
  }
}
