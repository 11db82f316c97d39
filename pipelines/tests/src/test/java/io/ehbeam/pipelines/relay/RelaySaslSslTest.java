package io.ehbeam.pipelines.relay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ehbeam.localkafka.TestKafka;
import io.ehbeam.pipelines.Main;
import io.ehbeam.pipelines.testing.CapturedOutput;
import io.ehbeam.pipelines.testing.HubFixture;
import io.ehbeam.transforms.json.Json;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Event Hubs code path for real: the relay authenticates with connection strings (SASL_SSL,
 * mechanism PLAIN, user $ConnectionString) against the test broker's TLS listener, whose certificate
 * was made at start-up and is trusted through --kafkaProperty. The strings are namespace-level (no
 * EntityPath: the broker knows one password) and the topics are given as options.
 */
class RelaySaslSslTest {
  static TestKafka kafka;
  static HubFixture plain;
  static String input;

  @BeforeAll
  static void writeInput() {
    kafka = TestKafka.get();
    plain = HubFixture.plain();
    input = plain.newTopic("sasl-in", 2);
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      records.add(new SimpleEntry<>("device-" + (i % 4), ("{\"eventId\":\"" + i + "\",\"value\":" + i + "}").getBytes(UTF_8)));
    }
    plain.write(input, records);
  }

  private static List<String> trust() {
    return List.of(
        "--kafkaProperty=ssl.truststore.location=" + kafka.truststore(),
        "--kafkaProperty=ssl.truststore.type=PKCS12",
        "--kafkaProperty=ssl.truststore.password=" + kafka.truststorePassword());
  }

  private static String key(String connectionString) {
    return connectionString.substring(connectionString.indexOf("SharedAccessKey=") + "SharedAccessKey=".length());
  }

  @Test
  void relaysWithConnectionStringsOverSaslSsl() throws Exception {
    String output = input.replace("sasl-in", "sasl-out");
    List<String> args = new ArrayList<>(List.of(
        "relay",
        "--bootstrapServers=" + kafka.saslSslBootstrapServers(),
        "--inputConnectionString=" + kafka.connectionString(),
        "--outputConnectionString=" + kafka.connectionString(),
        "--inputTopic=" + input,
        "--outputTopic=" + output,
        "--consumerGroup=sasl-cg",
        "--stopAtEnd=true"));
    args.addAll(trust());
    CapturedOutput run = CapturedOutput.of(() -> Main.run(args.toArray(new String[0])));

    assertThat(run.exitCode).as(run.err).isZero();
    assertThat(run.all()).doesNotContain(key(kafka.connectionString()));
    List<ConsumerRecord<byte[], byte[]>> out = plain.readAll(output);
    assertThat(out).hasSize(300);
    for (ConsumerRecord<byte[], byte[]> r : out) {
      JsonNode node = Json.MAPPER.readTree(r.value());
      assertThat(node.has("enqueuedAt")).isTrue();
      assertThat(node.get("enqueuedAt").asText().compareTo(node.get("processedAt").asText())).isLessThanOrEqualTo(0);
    }
  }

  // Wrong keys, missing trust stores, unknown hosts and topics: faults/ConfigurationFaultsTest.
}
