package io.ehbeam.runners.flink;

import io.ehbeam.pipelines.common.CommitOffsets;
import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.pipelines.archive.ArchivePipeline;
import io.ehbeam.transforms.io.ReadFromHub;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** The options whose defaults depend on the runner, with the FlinkRunner named. */
class RunnerDefaultsOnFlinkTest {
  @Test
  void flinkReadsPlansInOffsetChunksAndTheArchiveCommitsAfterItsFiles() {
    ArchivePipeline.Options options = PipelineOptionsFactory.fromArgs("--runner=FlinkRunner").as(ArchivePipeline.Options.class);
    assertThat(options.getPlannedRead()).isEqualTo(ReadFromHub.PlannedRead.OFFSET_CHUNKS);
    assertThat(options.getCommitOffsets()).isEqualTo(CommitOffsets.AFTER_WRITTEN);
  }

  @Test
  void inProcessFlinkWithCheckpointsKeepsThemInFilesUnlessTheUserChoseAStateBackend() {
    String path = java.nio.file.Path.of(System.getProperty("ehbeam.home", ".")).toAbsolutePath().normalize()
        .resolve(".local/flink-checkpoints").toUri().toString();
    for (String[] inProcess : new String[][] {
        {"--runner=FlinkRunner", "--checkpointingInterval=2000"},
        {"--runner=FlinkRunner", "--flinkMaster=[local]", "--checkpointingInterval=2000"}}) {
      org.apache.beam.runners.flink.FlinkPipelineOptions options = PipelineOptionsFactory
          .fromArgs(io.ehbeam.pipelines.common.RunnerDefaults.apply(inProcess))
          .as(org.apache.beam.runners.flink.FlinkPipelineOptions.class);
      assertThat(options.getStateBackend()).isEqualTo("filesystem");
      assertThat(options.getStateBackendStoragePath()).isEqualTo(path);
    }
    // No checkpoints, a cluster, Flink's application mode or the user's own choice: nothing added.
    assertThat(io.ehbeam.pipelines.common.RunnerDefaults.apply(new String[] {"--runner=FlinkRunner"}))
        .noneMatch(a -> a.startsWith("--stateBackend"));
    assertThat(io.ehbeam.pipelines.common.RunnerDefaults.apply(
            new String[] {"--runner=FlinkRunner", "--flinkMaster=jm:8081", "--checkpointingInterval=2000"}))
        .noneMatch(a -> a.startsWith("--stateBackend"));
    assertThat(io.ehbeam.pipelines.common.RunnerDefaults.apply(
            new String[] {"--runner=FlinkRunner", "--checkpointingInterval=2000"}, true))
        .noneMatch(a -> a.startsWith("--stateBackend"));
    assertThat(io.ehbeam.pipelines.common.RunnerDefaults.apply(
            new String[] {"--runner=FlinkRunner", "--checkpointingInterval=2000", "--stateBackend=rocksdb",
                "--stateBackendStoragePath=file:///data/checkpoints"}))
        .containsOnlyOnce("--stateBackend=rocksdb").noneMatch(a -> a.contains(".local/flink-checkpoints"));
  }
}
