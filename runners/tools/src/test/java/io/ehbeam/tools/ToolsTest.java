package io.ehbeam.tools;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.pipelines.testing.CapturedOutput;
import io.ehbeam.pipelines.testing.HubFixture;
import java.util.AbstractMap.SimpleEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolsTest {
  @Test
  void helpListsEveryCommandOfRun() {
    CapturedOutput run = CapturedOutput.of(() -> Tools.run(new String[] {"--help"}));
    assertThat(run.exitCode).isZero();
    assertThat(run.out).contains("relay", "archive", "demo", "benchmark", "topics", "peek", "generate-temperatures",
        "local-kafka", "local-flink", "local-spark", "test", "--runner=");
  }

  @Test
  void aJobIsNotRunByTheTools() {
    CapturedOutput run = CapturedOutput.of(() -> Tools.run(new String[] {"relay", "--outputTopic=x"}));
    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err).contains("runs through ./run");
  }

  @Test
  void topicsAndPeekShowWhatIsOnTheBroker() {
    HubFixture hub = HubFixture.plain();
    String topic = hub.newTopic("peek", 2);
    hub.write(topic, List.<Map.Entry<String, byte[]>>of(
        new SimpleEntry<>("k1", "{\"n\":1}".getBytes(UTF_8)),
        new SimpleEntry<>("k1", "{\"n\":2}".getBytes(UTF_8)),
        new SimpleEntry<>(null, new byte[] {(byte) 0xff, 0x00})));

    CapturedOutput topics = CapturedOutput.of(() -> Tools.run(new String[] {"topics", "--bootstrapServers=" + hub.bootstrapServers()}));
    assertThat(topics.exitCode).isZero();
    String line = topics.out.lines().filter(l -> l.startsWith(topic + " ")).findFirst().orElseThrow();
    assertThat(line.split("\\s+")).containsSequence(topic, "2", "3");

    CapturedOutput peek = CapturedOutput.of(() -> Tools.run(new String[] {
        "peek", "--bootstrapServers=" + hub.bootstrapServers(), "--topic=" + topic, "--max=10"}));
    assertThat(peek.exitCode).isZero();
    assertThat(peek.out.lines().count()).isEqualTo(3);
    assertThat(peek.out).contains("key=k1", "value={\"n\":1}", "value={\"n\":2}", "key=null value=base64:/wA=", "offset=1");
  }
}
