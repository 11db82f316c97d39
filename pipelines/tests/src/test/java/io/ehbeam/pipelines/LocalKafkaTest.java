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

  /**
   * Event Hubs' semantics by default: the broker stamps the time it appended a record, whatever the
   * producer said; --timestampType=CreateTime keeps the producer's, for plain-Kafka users.
   */
  @Test
  void stampsAppendTimeByDefaultAndCreateTimeOnRequest() throws Exception {
    LocalKafka broker = new LocalKafka(home, LocalKafka.freePort(), LocalKafka.freePort(), null);
    long old = java.time.Instant.parse("2023-01-05T17:00:00Z").toEpochMilli();
    try {
      broker.start(true);
      HubFixture hub = new HubFixture(KafkaEndpoint.plainKafka(broker.bootstrapServers(), null));
      String topic = hub.newTopic("stamped", 1);
      long before = System.currentTimeMillis();
      send(hub, topic, old);
      assertThat(hub.readAll(topic).get(0).timestamp()).isBetween(before, System.currentTimeMillis());
      assertThat(hub.readAll(topic).get(0).timestampType()).isEqualTo(org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME);

      broker.stop();
      broker = broker.withTimestampType(LocalKafka.TimestampType.CREATE_TIME);
      broker.start(true);
      send(hub, topic, old);
      assertThat(hub.readAll(topic).get(1).timestamp()).isEqualTo(old);

      // Event Hubs' request limit: a record that does not fit is refused by the broker itself.
      try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(Map.of(
          "bootstrap.servers", broker.bootstrapServers(), "max.request.size", 4_000_000),
          new org.apache.kafka.common.serialization.ByteArraySerializer(),
          new org.apache.kafka.common.serialization.ByteArraySerializer())) {
        byte[] big = new byte[LocalKafka.EVENT_HUBS_MAX_REQUEST_BYTES + 1];
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> producer.send(
                new org.apache.kafka.clients.producer.ProducerRecord<>(topic, big)).get())
            .hasCauseInstanceOf(org.apache.kafka.common.errors.RecordTooLargeException.class);
      }
    } finally {
      broker.reset();
    }
  }

  private static void send(HubFixture hub, String topic, long timestamp) throws Exception {
    try (var producer = hub.producer()) {
      producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, 0, timestamp, null, "{}".getBytes(UTF_8))).get();
    }
  }
}
