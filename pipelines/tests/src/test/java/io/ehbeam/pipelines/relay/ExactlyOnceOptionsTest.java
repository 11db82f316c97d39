package io.ehbeam.pipelines.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ehbeam.pipelines.common.RunnerDefaults;
import org.junit.jupiter.api.Test;

/** Where {@code --exactlyOnce} is refused, in one line, before anything runs. */
class ExactlyOnceOptionsTest {
  @Test
  void refusedOnTheRunnersThatDoNotKeepTheWritersInputStable() {
    assertThatThrownBy(() -> RunnerDefaults.apply(new String[] {"--exactlyOnce=true"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--exactlyOnce needs --runner=FlinkRunner with --checkpointingInterval: the DirectRunner");
    assertThatThrownBy(() -> RunnerDefaults.apply(new String[] {"--runner=SparkRunner", "--exactlyOnce", "--checkpointingInterval=1000"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the SparkRunner does not replay a step's input exactly after a failure");
  }

  @Test
  void onFlinkItNeedsCheckpointsAndAStream() {
    assertThatThrownBy(() -> RunnerDefaults.apply(new String[] {"--runner=FlinkRunner", "--exactlyOnce=true"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--exactlyOnce needs --checkpointingInterval=<ms>");
    assertThatThrownBy(() -> RunnerDefaults.apply(new String[] {"--runner=FlinkRunner", "--exactlyOnce=true",
        "--checkpointingInterval=2000", "--stopAtEnd=true"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--exactlyOnce streams: with --stopAtEnd=true Flink runs a batch job");
    assertThat(RunnerDefaults.apply(new String[] {"--runner=FlinkRunner", "--exactlyOnce=true", "--checkpointingInterval=2000"}))
        .contains("--exactlyOnce=true", "--checkpointingInterval=2000");
    assertThat(RunnerDefaults.apply(new String[] {"--exactlyOnce=false"})).contains("--exactlyOnce=false");
  }
}
