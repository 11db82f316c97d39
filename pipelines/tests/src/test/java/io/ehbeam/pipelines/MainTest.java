package io.ehbeam.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.pipelines.testing.CapturedOutput;
import io.ehbeam.pipelines.testing.HubFixture;
import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void helpListsTheJobsAndOnlyThem() {
    CapturedOutput run = CapturedOutput.of(() -> Main.run(new String[] {"--help"}));
    assertThat(run.exitCode).isZero();
    assertThat(run.out).contains("relay", "produce-temperatures", "simulate-devices", "aggregate", "archive", "--runner=")
        .doesNotContain("demo", "benchmark", "peek", "local-kafka");
  }

  @Test
  void commandHelpListsTheSharedOptionsWithDescriptionsAndDefaults() {
    CapturedOutput run = CapturedOutput.of(() -> Main.run(new String[] {"relay", "--help"}));
    assertThat(run.exitCode).isZero();
    assertThat(run.out)
        .contains("--bootstrapServers", "Default: localhost:9092")
        .contains("--inputTopic", "--outputTopic", "--deadLetterTopic")
        .contains("--inputConnectionString", "--outputConnectionString", "EVENTHUBS_CONNECTION_STRING")
        .contains("--consumerGroup", "--startOffset", "--stopAtEnd", "--kafkaProperty", "--partitions")
        .contains("--dedup", "--dedupHistory", "--runner");
  }

  @Test
  void unknownCommandsAndOptionsAreUsageErrors() {
    assertThat(CapturedOutput.of(() -> Main.run(new String[] {"relai"})).exitCode).isEqualTo(2);
    CapturedOutput badOption = CapturedOutput.of(() -> Main.run(new String[] {"relay", "--noSuchOption=1"}));
    assertThat(badOption.exitCode).isEqualTo(2);
    assertThat(badOption.err).contains("noSuchOption");
  }

  @Test
  void aConnectionStringValueForAClustersWorkersIsRefusedInOneLineBeforeAnythingRuns() {
    String key = "ClusterProbeKey0123456789ClusterProbeKey01234=";
    CapturedOutput run = CapturedOutput.of(() -> Main.run(new String[] {"relay", "--runner=FlinkRunner",
        "--flinkMaster=localhost:1", "--inputConnectionString=Endpoint=sb://ns.servicebus.windows.net/;"
            + "SharedAccessKeyName=k;SharedAccessKey=" + key, "--outputTopic=x"}));
    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err).startsWith("error: --inputConnectionString is given as a value")
        .contains("--flinkMaster=localhost:1", "EVENTHUBS_INPUT_CONNECTION_STRING", "${env:NAME}")
        .doesNotContain(key);
    assertThat(run.out).doesNotContain(key);
  }

  @Test
  void aValueOutsideAClosedSetIsRefusedWithTheOptionAndTheAllowedValues() {
    CapturedOutput run = CapturedOutput.of(() -> Main.run(new String[] {"archive", "--format=json,csv",
        "--outputDirectory=/tmp/never-written"}));
    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err.lines().findFirst().orElse("")).startsWith("error: ").contains("format")
        .contains("'csv' is not one of json, parquet, avro");
  }

  @Test
  void missingInputTopicIsNamed() {
    HubFixture hub = HubFixture.plain();
    CapturedOutput run = CapturedOutput.of(() -> Main.run(new String[] {
        "relay", "--bootstrapServers=" + hub.bootstrapServers(), "--inputTopic=no-such-topic", "--outputTopic=x"}));
    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.err).contains("error: Input topic 'no-such-topic' does not exist on " + hub.bootstrapServers());
  }
}
