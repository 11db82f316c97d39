package io.ehbeam.pipelines;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.local.LocalServiceCommand;
import io.ehbeam.localkafka.LocalKafka;
import io.ehbeam.pipelines.testing.CapturedOutput;
import io.ehbeam.pipelines.testing.HubFixture;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local broker as ./run local-kafka drives it: start, stop and start again keeping records, reset. */
class LocalKafkaTest {
  @TempDir Path home;

  @Test
  void restartKeepsTopicsAndRecordsAndResetWipesThem() {
    int port = LocalKafka.freePort();
    LocalKafka broker = new LocalKafka(home, port, LocalKafka.freePort(), null);
    try {
      broker.start(true);
      broker.start(true); // idempotent
      assertThat(broker.isRunning()).isTrue();
      HubFixture hub = new HubFixture(KafkaEndpoint.plainKafka(broker.bootstrapServers(), null));
      String topic = hub.newTopic("kept", 3);
      List<Map.Entry<String, byte[]>> records = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        records.add(new SimpleEntry<>("k" + i, ("{\"n\":" + i + "}").getBytes(UTF_8)));
      }
      hub.write(topic, records);

      broker.stop();
      assertThat(broker.isRunning()).isFalse();
      broker.start(true);
      assertThat(hub.readAll(topic)).hasSize(100);

      broker.reset();
      assertThat(broker.isRunning()).isFalse();
      assertThat(Files.exists(home)).isFalse();
    } finally {
      broker.reset();
    }
  }

  /** The verbs every ./run local-* command shares, on a real broker: what scripts and people read. */
  @Test
  void theCommandStartsReportsAndStopsTheService() {
    LocalKafka broker = new LocalKafka(home, LocalKafka.freePort(), LocalKafka.freePort(), null);
    LocalServiceCommand command = new LocalServiceCommand("local-kafka", broker)
        .with("reset", "", verb -> 0);
    try {
      CapturedOutput down = CapturedOutput.of(() -> command.run(new String[] {"status"}));
      assertThat(down.exitCode).isEqualTo(3);
      assertThat(down.err).contains("The local Kafka broker is not running (./run local-kafka start)");

      CapturedOutput started = CapturedOutput.of(() -> command.run(new String[] {"start"}));
      assertThat(started.exitCode).isZero();
      assertThat(started.out.trim()).as("the address alone on stdout, for scripts").isEqualTo(broker.bootstrapServers());
      assertThat(broker.isRunning()).isTrue();
      assertThat(CapturedOutput.of(() -> command.run(new String[] {"start"})).err).contains("already runs at " + broker.bootstrapServers());

      CapturedOutput status = CapturedOutput.of(() -> command.run(new String[0]));
      assertThat(status.exitCode).isZero();
      assertThat(status.out.trim()).isEqualTo(broker.bootstrapServers());

      CapturedOutput wrong = CapturedOutput.of(() -> command.run(new String[] {"restart"}));
      assertThat(wrong.exitCode).isEqualTo(2);
      assertThat(wrong.err).contains("Usage: ./run local-kafka start|stop|status|reset");

      CapturedOutput stopped = CapturedOutput.of(() -> command.run(new String[] {"stop"}));
      assertThat(stopped.exitCode).isZero();
      assertThat(stopped.err).contains("is stopped; its topics and records are kept");
      assertThat(broker.isRunning()).isFalse();
    } finally {
      broker.stop();
    }
  }
}
