package io.ehbeam.runners.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.pipelines.archive.ArchivePipeline;
import io.ehbeam.transforms.io.ReadFromHub;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** The options whose defaults depend on the runner, with the FlinkRunner named. */
class RunnerDefaultsOnFlinkTest {
  @Test
  void flinkReadsPlansAsBoundedSourcesAndTheArchiveCommitsAfterItsFiles() {
    ArchivePipeline.Options options = PipelineOptionsFactory.fromArgs("--runner=FlinkRunner").as(ArchivePipeline.Options.class);
    assertThat(options.getPlannedRead()).isEqualTo(ReadFromHub.PlannedRead.BOUNDED_SOURCES);
    assertThat(options.getCommitOffsets()).isEqualTo(ArchivePipeline.CommitOffsets.AFTER_FILES_WRITTEN);
  }
}
