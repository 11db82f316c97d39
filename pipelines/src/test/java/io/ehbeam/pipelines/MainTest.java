package io.ehbeam.pipelines;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.pipelines.testing.CapturedOutput;
import io.ehbeam.pipelines.testing.HubFixture;
import io.ehbeam.pipelines.tools.Demo;
import java.util.AbstractMap.SimpleEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void helpListsEveryCommand() {
    CapturedOutput run = CapturedOutput.of(() -> Main.run(new String[] {"--help"}));
    assertThat(run.exitCode).isZero();
    assertThat(run.out).contains("demo", "relay", "topics", "peek", "local-kafka", "test", "--runner=");
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

  @Test
  void topicsAndPeekShowWhatIsOnTheBroker() {
    HubFixture hub = HubFixture.plain();
    String topic = hub.newTopic("peek", 2);
    hub.write(topic, List.<Map.Entry<String, byte[]>>of(
        new SimpleEntry<>("k1", "{\"n\":1}".getBytes(UTF_8)),
        new SimpleEntry<>("k1", "{\"n\":2}".getBytes(UTF_8)),
        new SimpleEntry<>(null, new byte[] {(byte) 0xff, 0x00})));

    CapturedOutput topics = CapturedOutput.of(() -> Main.run(new String[] {"topics", "--bootstrapServers=" + hub.bootstrapServers()}));
    assertThat(topics.exitCode).isZero();
    String line = topics.out.lines().filter(l -> l.startsWith(topic + " ")).findFirst().orElseThrow();
    assertThat(line.split("\\s+")).containsSequence(topic, "2", "3");

    CapturedOutput peek = CapturedOutput.of(() -> Main.run(new String[] {
        "peek", "--bootstrapServers=" + hub.bootstrapServers(), "--topic=" + topic, "--max=10"}));
    assertThat(peek.exitCode).isZero();
    assertThat(peek.out.lines().count()).isEqualTo(3);
    assertThat(peek.out).contains("key=k1", "value={\"n\":1}", "value={\"n\":2}", "key=null value=base64:/wA=", "offset=1");
  }

  @Test
  void demoRelaysItsSampleEventsAndReportsThem() {
    HubFixture hub = HubFixture.plain();
    CapturedOutput run = CapturedOutput.of(() -> Main.run(new String[] {
        "demo", "--bootstrapServers=" + hub.bootstrapServers(), "--events=300"}));
    assertThat(run.exitCode).as(run.err).isZero();
    assertThat(run.out)
        .contains("Wrote 300 device events and 4 malformed records")
        .contains("In: 304 records read. Out: 300 events written to demo-output, 4 records dead-lettered")
        .contains("\"enqueuedAt\":", "\"processedAt\":")
        .contains("deadletter.reason=empty record");
  }
}
