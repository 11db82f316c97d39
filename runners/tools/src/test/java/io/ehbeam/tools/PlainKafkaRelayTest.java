package io.ehbeam.tools;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.pipelines.testing.HubFixture;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The benchmark's baseline moves exactly what the relay moves, stamped the same way. */
class PlainKafkaRelayTest {
  @Test
  void relaysEveryEventOnceAndRefusesTheSameRecordsAsTheRelay() {
    HubFixture hub = HubFixture.plain();
    String input = hub.newTopic("plain-in", 2);
    String output = hub.newTopic("plain-out", 2);
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      records.add(new SimpleEntry<>("d" + (i % 5), ("{\"eventId\":\"" + i + "\"}").getBytes(UTF_8)));
    }
    records.add(new SimpleEntry<>("bad", "not json".getBytes(UTF_8)));
    hub.write(input, records);

    KafkaEndpoint broker = KafkaEndpoint.plainKafka(hub.bootstrapServers(), null);
    PlainKafkaRelay.Result result = PlainKafkaRelay.run(broker.withTopic(input), broker.withTopic(output), 2);

    assertThat(result.read()).isEqualTo(1501);
    assertThat(result.written()).isEqualTo(1500);
    assertThat(result.refused()).isEqualTo(1);
    assertThat(result.eventsPerSecond()).isPositive();
    assertThat(result.threads()).isEqualTo(2);
    List<ConsumerRecord<byte[], byte[]>> out = hub.readAll(output);
    assertThat(out).hasSize(1500);
    assertThat(out).allSatisfy(r -> assertThat(new String(r.value(), UTF_8)).contains("\"enqueuedAt\":", "\"processedAt\":"));
  }
}
