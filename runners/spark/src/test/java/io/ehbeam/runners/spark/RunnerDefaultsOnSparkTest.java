package io.ehbeam.runners.spark;

import io.ehbeam.pipelines.common.CommitOffsets;
import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.pipelines.archive.ArchivePipeline;
import io.ehbeam.transforms.io.ReadFromHub;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** The options whose defaults depend on the runner, with the SparkRunner named. */
class RunnerDefaultsOnSparkTest {
  @Test
  void sparkReadsPlansAsBoundedSourcesAndTheArchiveCommitsWhenCheckpointed() {
    ArchivePipeline.Options options = PipelineOptionsFactory.fromArgs("--runner=SparkRunner").as(ArchivePipeline.Options.class);
    assertThat(options.getPlannedRead()).isEqualTo(ReadFromHub.PlannedRead.BOUNDED_SOURCES);
    assertThat(options.getCommitOffsets()).isEqualTo(CommitOffsets.WHEN_CHECKPOINTED);
  }
}
