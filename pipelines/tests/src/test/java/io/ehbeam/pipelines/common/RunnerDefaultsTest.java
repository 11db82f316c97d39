package io.ehbeam.pipelines.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunnerDefaultsTest {
  static final String BLOB_CLIENTS = "--blobstoreClientFactoryClass=io.ehbeam.transforms.archive.BlobStorageClients";

  @Test
  void directRunsFromTheJarSkipTheTestTimeChecks() {
    assertThat(RunnerDefaults.apply(new String[] {"--inputTopic=a"}))
        .containsExactly("--inputTopic=a", BLOB_CLIENTS, "--enforceImmutability=false", "--enforceEncodability=false");
    assertThat(RunnerDefaults.apply(new String[] {"--runner=direct"})).contains("--enforceImmutability=false");
  }

  @Test
  void whatTheUserSetsStays() {
    assertThat(RunnerDefaults.apply(new String[] {"--enforceImmutability=true"}))
        .containsExactly("--enforceImmutability=true", BLOB_CLIENTS, "--enforceEncodability=false");
  }

  @Test
  void flinkSkipsItsCopiesBetweenSteps() {
    assertThat(RunnerDefaults.apply(new String[] {"--runner=FlinkRunner"})).containsExactly("--runner=FlinkRunner", BLOB_CLIENTS, "--fasterCopy=true");
    assertThat(RunnerDefaults.apply(new String[] {"--runner=flink", "--fasterCopy=false"}))
        .containsExactly("--runner=flink", "--fasterCopy=false", BLOB_CLIENTS);
  }

  @Test
  void sparkStreamsInTwoSecondBatchesUnlessTold() {
    assertThat(RunnerDefaults.apply(new String[] {"--runner=SparkRunner"}))
        .containsExactly("--runner=SparkRunner", BLOB_CLIENTS, "--batchIntervalMillis=2000");
    assertThat(RunnerDefaults.apply(new String[] {"--runner=spark", "--batchIntervalMillis=500"}))
        .containsExactly("--runner=spark", "--batchIntervalMillis=500", BLOB_CLIENTS);
  }

  @Test
  void otherRunnersGetOnlyWhatEveryRunnerGets() {
    assertThat(RunnerDefaults.apply(new String[] {"--runner=PrismRunner"})).containsExactly("--runner=PrismRunner", BLOB_CLIENTS);
  }

  @Test
  void onTheDirectRunnerAPlannedReadIsSplittableAndTheArchiveCommitsAfterItsFiles() {
    io.ehbeam.pipelines.archive.ArchivePipeline.Options options = org.apache.beam.sdk.options.PipelineOptionsFactory
        .fromArgs().as(io.ehbeam.pipelines.archive.ArchivePipeline.Options.class);
    assertThat(options.getPlannedRead()).isEqualTo(io.ehbeam.transforms.io.ReadFromHub.PlannedRead.SPLITTABLE_DOFN);
    assertThat(options.getCommitOffsets())
        .isEqualTo(io.ehbeam.pipelines.common.CommitOffsets.AFTER_WRITTEN);
    // What the user sets wins, and a value outside the set names the allowed ones.
    assertThat(org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs("--plannedRead=BOUNDED_SOURCES")
        .as(ReadOptions.class).getPlannedRead()).isEqualTo(io.ehbeam.transforms.io.ReadFromHub.PlannedRead.BOUNDED_SOURCES);
    assertThat(org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs("--plannedRead=offset-chunks")
        .as(ReadOptions.class).getPlannedRead()).isEqualTo(io.ehbeam.transforms.io.ReadFromHub.PlannedRead.OFFSET_CHUNKS);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> org.apache.beam.sdk.options.PipelineOptionsFactory
            .fromArgs("--plannedRead=SOMETIMES").as(ReadOptions.class))
        .hasMessageContaining("splittable-dofn, bounded-sources, offset-chunks");
  }

  @Test
  void aSparkRelayCommittingAfterItsWritesKeepsEachRunsCheckpointsApart() {
    String[] relayOnSpark = {"--runner=SparkRunner", "--checkpointDir=/data/relay"};
    assertThat(RunnerDefaults.apply(relayOnSpark, false, io.ehbeam.pipelines.relay.RelayPipeline.Options.class))
        .filteredOn(a -> a.startsWith("--checkpointDir=")).singleElement().asString()
        .matches("--checkpointDir=/data/relay/run-\\d{8}-\\d{6}-\\d{3}");
    // Committing when checkpointed, batch runs, other jobs and other runners keep the folder given.
    for (String[] args : List.of(
        new String[] {"--runner=SparkRunner", "--checkpointDir=/data/relay", "--commitOffsets=WHEN_CHECKPOINTED"},
        new String[] {"--runner=SparkRunner", "--checkpointDir=/data/relay", "--stopAtEnd=true"},
        new String[] {"--runner=FlinkRunner", "--checkpointDir=/data/relay"})) {
      assertThat(RunnerDefaults.apply(args, false, io.ehbeam.pipelines.relay.RelayPipeline.Options.class)).contains("--checkpointDir=/data/relay");
    }
    assertThat(RunnerDefaults.apply(relayOnSpark, false, io.ehbeam.pipelines.aggregate.AggregatePipeline.Options.class))
        .contains("--checkpointDir=/data/relay");
  }
}
