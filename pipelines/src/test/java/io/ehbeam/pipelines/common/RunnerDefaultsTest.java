package io.ehbeam.pipelines.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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

  @Test
  void aSecretGivenAsAValueIsRefusedWhereTheWorkersRunElsewhere() {
    String literal = "--inputConnectionString=Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=SECRETVALUE";
    for (String[] remote : List.of(
        new String[] {"--runner=FlinkRunner", "--flinkMaster=jm:8081", literal},
        new String[] {"--runner=SparkRunner", "--sparkMaster=yarn", literal},
        new String[] {"--runner=SparkRunner", "--sparkMaster=spark://m:7077", "--kafkaProperty=ssl.truststore.password=SECRETVALUE"},
        new String[] {"--runner=FlinkRunner", "--azureConnectionString=AccountKey=SECRETVALUE"})) {
      boolean applicationMode = List.of(remote).contains("--azureConnectionString=AccountKey=SECRETVALUE");
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> RunnerDefaults.refuseSecretsTheWorkersCannotReach(remote, applicationMode))
          .as(String.join(" ", remote))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cannot reach the workers of")
          .hasMessageNotContaining("SECRETVALUE");
    }
    // Workers in this process, or references every worker resolves itself: accepted.
    for (String[] fine : List.of(
        new String[] {literal},
        new String[] {"--runner=FlinkRunner", literal},
        new String[] {"--runner=FlinkRunner", "--flinkMaster=[local]", literal},
        new String[] {"--runner=SparkRunner", "--sparkMaster=local[2]", literal},
        new String[] {"--runner=FlinkRunner", "--flinkMaster=jm:8081", "--inputConnectionString=${env:EVENTHUBS_INPUT_CONNECTION_STRING}",
            "--kafkaProperty=ssl.truststore.password=${file:/etc/ehbeam/store.properties:password}"},
        new String[] {"--runner=SparkRunner", "--sparkMaster=yarn", "--outputConnectionString=${dir:/etc/eventhubs:output}"})) {
      RunnerDefaults.refuseSecretsTheWorkersCannotReach(fine, false);
    }
  }

  @Test
  void onTheDirectRunnerAPlannedReadIsSplittableAndTheArchiveCommitsAfterItsFiles() {
    io.ehbeam.pipelines.archive.ArchivePipeline.Options options = org.apache.beam.sdk.options.PipelineOptionsFactory
        .fromArgs().as(io.ehbeam.pipelines.archive.ArchivePipeline.Options.class);
    assertThat(options.getPlannedRead()).isEqualTo(io.ehbeam.transforms.io.ReadFromHub.PlannedRead.SPLITTABLE_DOFN);
    assertThat(options.getCommitOffsets())
        .isEqualTo(io.ehbeam.pipelines.archive.ArchivePipeline.CommitOffsets.AFTER_FILES_WRITTEN);
    // What the user sets wins, and a value outside the set names the allowed ones.
    assertThat(org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs("--plannedRead=BOUNDED_SOURCES")
        .as(ReadOptions.class).getPlannedRead()).isEqualTo(io.ehbeam.transforms.io.ReadFromHub.PlannedRead.BOUNDED_SOURCES);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> org.apache.beam.sdk.options.PipelineOptionsFactory
            .fromArgs("--plannedRead=SOMETIMES").as(ReadOptions.class))
        .hasMessageContaining("SPLITTABLE_DOFN").hasMessageContaining("BOUNDED_SOURCES");
  }
}
