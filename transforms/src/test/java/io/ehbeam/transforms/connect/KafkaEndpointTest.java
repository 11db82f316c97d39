package io.ehbeam.transforms.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

class KafkaEndpointTest {
  static final String KEY = EventHubsConnectionStringTest.KEY;
  static final String GOOD = EventHubsConnectionStringTest.GOOD;

  @Test
  void eventHubsEndpointUsesSaslSslPlainAndTheRecommendedSettings() {
    KafkaEndpoint endpoint =
        KafkaEndpoint.eventHubs(EventHubsConnectionString.parse(GOOD, "x"), null, null);
    assertThat(endpoint.bootstrapServers()).isEqualTo("contoso-ns.servicebus.windows.net:9093");
    assertThat(endpoint.topic()).isEqualTo("telemetry");
    Map<String, Object> consumer = endpoint.consumerSettings("relay-cg", "earliest");
    assertThat(consumer)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("request.timeout.ms", 60_000)
        .containsEntry("session.timeout.ms", 30_000)
        .containsEntry("metadata.max.age.ms", 180_000)
        .containsEntry("connections.max.idle.ms", 180_000)
        .containsEntry("group.id", "relay-cg")
        .containsEntry("auto.offset.reset", "earliest")
        .doesNotContainKey("sasl.jaas.config");
    assertThat(endpoint.producerSettings()).containsEntry("max.request.size", 1_000_000);
    assertThat((int) endpoint.producerSettings().get("max.request.size")).isLessThan(1_046_528);
  }

  @Test
  void visibleSettingsAndDescriptionsHoldNoSecret() {
    KafkaEndpoint endpoint =
        KafkaEndpoint.eventHubs(EventHubsConnectionString.parse(GOOD, "x"), "hub", null)
            .withProperties(List.of("ssl.truststore.password=store-secret", "linger.ms=5"));
    String shown = endpoint.consumerSettings("g", "latest") + " " + endpoint.producerSettings() + " " + endpoint
        + " " + endpoint.consumerFactory() + " " + endpoint.producerFactory();
    assertThat(shown).doesNotContain(KEY).doesNotContain("store-secret").contains("linger.ms=5");
  }

  @Test
  void kafkaPropertiesOverrideDefaultsAndCanTargetOneKindOfClient() {
    KafkaEndpoint endpoint =
        KafkaEndpoint.plainKafka("localhost:9092", "t")
            .withProperties(
                List.of("request.timeout.ms=5000", "producer.max.request.size=500000", "consumer.fetch.min.bytes=1024"));
    assertThat(endpoint.consumerSettings(null, null))
        .containsEntry("request.timeout.ms", "5000")
        .containsEntry("fetch.min.bytes", "1024")
        .doesNotContainKey("max.request.size")
        .doesNotContainKey("producer.max.request.size");
    assertThat(endpoint.producerSettings())
        .containsEntry("max.request.size", "500000")
        .doesNotContainKey("fetch.min.bytes");
    assertThat(endpoint.maxRequestBytes()).isEqualTo(500_000);
  }

  @Test
  void clientsBatchForThroughputWithinEventHubsRequestLimitUnlessOverridden() {
    KafkaEndpoint endpoint = KafkaEndpoint.plainKafka("localhost:9092", "t");
    assertThat(endpoint.producerSettings())
        .containsEntry("linger.ms", 5).containsEntry("batch.size", 262_144).containsEntry("buffer.memory", 64L << 20);
    assertThat((Integer) endpoint.producerSettings().get("batch.size")).isLessThan(endpoint.maxRequestBytes());
    assertThat(endpoint.consumerSettings("g", null))
        .containsEntry("fetch.min.bytes", 65_536).containsEntry("fetch.max.wait.ms", 100)
        .containsEntry("max.poll.records", 2_000).doesNotContainKey("linger.ms");
    KafkaEndpoint latencyFirst = endpoint.withProperties(List.of("producer.linger.ms=0", "consumer.fetch.min.bytes=1"));
    assertThat(latencyFirst.producerSettings()).containsEntry("linger.ms", "0");
    assertThat(latencyFirst.consumerSettings("g", null)).containsEntry("fetch.min.bytes", "1");
  }

  @Test
  void streamingReadsFetchWhatIsThereUnlessOverridden() {
    KafkaEndpoint endpoint = KafkaEndpoint.plainKafka("localhost:9092", "t");
    assertThat(endpoint.streamingConsumerSettings("g", "latest"))
        .containsEntry("fetch.min.bytes", 1).containsEntry("max.poll.records", 2_000)
        .containsEntry("group.id", "g").containsEntry("auto.offset.reset", "latest")
        .containsEntry("isolation.level", "read_committed");
    assertThat(endpoint.withProperties(List.of("consumer.fetch.min.bytes=65536")).streamingConsumerSettings("g", null))
        .containsEntry("fetch.min.bytes", "65536");
  }

  @Test
  void malformedKafkaPropertyIsRejectedWithoutEchoingItsValue() {
    assertThatThrownBy(() -> KafkaEndpoint.plainKafka("h:1", "t").withProperties(List.of("no-equals-sign")))
        .hasMessageContaining("key=value");
  }

  @Test
  void endpointSurvivesJavaSerializationForRunnersWithoutTheKey() {
    KafkaEndpoint endpoint =
        KafkaEndpoint.eventHubs(EventHubsConnectionString.parse(GOOD, "x"), null, "localhost:1234")
            .withProperties(List.of("ssl.truststore.password=store-secret"));
    KafkaEndpoint copy = SerializableUtils.clone(endpoint);
    assertThat(copy).isEqualTo(endpoint);
    assertThat(copy.bootstrapServers()).isEqualTo("localhost:1234");
    for (Object serialized : List.of(endpoint, endpoint.consumerFactory(), endpoint.producerFactory())) {
      String bytes = uncompressedJavaForm((java.io.Serializable) serialized);
      assertThat(bytes).as("%s serialized", serialized).contains("${process:")
          .doesNotContain(KEY).doesNotContain("store-secret");
    }
    // A copy still reaches the secret in this process (DirectRunner, Flink [local], Spark local).
    KafkaEndpoint withoutStore = KafkaEndpoint.eventHubs(EventHubsConnectionString.parse(GOOD, "x"), null, "localhost:1234");
    try (var consumer = SerializableUtils.clone(withoutStore).newConsumer("g")) {
      assertThat(consumer).isNotNull();
    }
  }

  @Test
  void aConnectionStringFromTheEnvironmentTravelsAsTheVariablesName() {
    HubOptions options = PipelineOptionsFactory.fromArgs("--outputTopic=out").as(HubOptions.class);
    Hubs hubs = Hubs.resolve(options, "relay-cg", Map.of(Hubs.ENV_BOTH, GOOD));
    String bytes = uncompressedJavaForm(hubs.input().consumerFactory());
    assertThat(bytes).contains("${env:" + Hubs.ENV_BOTH + "}").doesNotContain(KEY);
    assertThat(hubs.input().topic()).isEqualTo("telemetry");
    // This test's JVM has no such variable: the client is not made, and the line says why and where.
    assertThatThrownBy(() -> hubs.output().newProducer())
        .hasMessageContaining("Environment variable " + Hubs.ENV_BOTH + " is not set on host")
        .hasMessageNotContaining(KEY);
  }

  @Test
  void aConnectionStringInAFileOrFolderIsReadThereByEachClient(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path properties = dir.resolve("eventhubs.properties");
    java.nio.file.Files.writeString(properties, "input=" + GOOD + "\n");
    java.nio.file.Files.writeString(dir.resolve("output"), GOOD.replace("contoso-ns", "other-ns"));
    HubOptions options = PipelineOptionsFactory.fromArgs(
        "--inputConnectionString=${file:" + properties + ":input}",
        "--outputConnectionString=${dir:" + dir + ":output}", "--outputTopic=out", "--bootstrapServers=localhost:1")
        .as(HubOptions.class);
    Hubs hubs = Hubs.resolve(options, "relay-cg", Map.of());
    assertThat(hubs.input().toString()).contains("contoso-ns.servicebus.windows.net/telemetry");
    assertThat(hubs.output().toString()).contains("other-ns.servicebus.windows.net");
    String bytes = uncompressedJavaForm(hubs.output().producerFactory());
    assertThat(bytes).contains("${dir:" + dir + ":output}").doesNotContain(KEY);
    try (var producer = hubs.output().newProducer()) {
      assertThat(producer).isNotNull();
    }
    // A secret file written with a line break would break the quoted password: refused, clearly.
    java.nio.file.Files.writeString(dir.resolve("output"), GOOD + "\n");
    assertThatThrownBy(() -> hubs.output().newProducer()).hasMessageContaining("line break").hasMessageNotContaining(KEY);
    HubOptions missing = PipelineOptionsFactory.fromArgs("--inputConnectionString=${file:" + properties + ":nope}")
        .as(HubOptions.class);
    assertThatThrownBy(() -> Hubs.resolve(missing, "g", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No key 'nope' in " + properties);
  }

  @Test
  void aSecretKeptInAnotherProcessIsNamedNotFound() {
    String placeholder = SecretReference.of(GOOD, "--inputConnectionString").placeholder();
    String foreign = "${process:" + placeholder.substring("${process:".length()).replaceAll("[0-9a-f]", "0");
    assertThatThrownBy(() -> SecretReference.of(foreign, "x").resolve())
        .hasMessageContaining("lives only in the process that launched the job");
  }

  @Test
  void hubsResolveFromTheEnvironment() {
    HubOptions options =
        PipelineOptionsFactory.fromArgs("--outputTopic=out", "--inputConnectionString=" + GOOD)
            .as(HubOptions.class);
    Map<String, String> env = new HashMap<>();
    env.put(Hubs.ENV_BOTH, GOOD.replace("contoso-ns", "other-ns"));
    Hubs hubs = Hubs.resolve(options, "relay-cg", env);
    assertThat(hubs.input().bootstrapServers()).isEqualTo("contoso-ns.servicebus.windows.net:9093");
    assertThat(hubs.output().bootstrapServers()).isEqualTo("other-ns.servicebus.windows.net:9093");
    assertThat(hubs.output().topic()).isEqualTo("out");
    assertThat(hubs.deadLetter(options).topic()).isEqualTo("out-deadletter");
    assertThat(hubs.consumerGroup()).isEqualTo("relay-cg");
  }

  @Test
  void withoutConnectionStringsTheLocalBrokerIsUsed() {
    HubOptions options =
        PipelineOptionsFactory.fromArgs("--inputTopic=in", "--outputTopic=out", "--consumerGroup=mine", "--startOffset=LATEST")
            .as(HubOptions.class);
    Hubs hubs = Hubs.resolve(options, "relay-cg", Map.of());
    assertThat(hubs.input().bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(hubs.input().isSecured()).isFalse();
    assertThat(hubs.consumerGroup()).isEqualTo("mine");
    assertThat(hubs.autoOffsetReset()).isEqualTo("latest");
  }

  @Test
  void badStartOffsetIsRejectedWithTheAllowedValues() {
    assertThatThrownBy(() -> PipelineOptionsFactory.fromArgs("--startOffset=middle").as(HubOptions.class))
        .hasMessageContaining("'middle' is not one of earliest, latest");
  }

  @Test
  void connectionStringOptionsAreNeverSerializedWithTheOptions() throws Exception {
    HubOptions options =
        PipelineOptionsFactory.fromArgs("--inputConnectionString=" + GOOD).as(HubOptions.class);
    String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(options);
    assertThat(json).doesNotContain(KEY).doesNotContain("inputConnectionString");
  }

  /**
   * The object's plain Java serialization as text. Beam's {@link SerializableUtils} compresses with
   * Snappy, where a string can turn into back-references: a search in compressed bytes can miss a
   * string that is there, and so pass for a secret that is there.
   */
  private static String uncompressedJavaForm(java.io.Serializable value) {
    var bytes = new java.io.ByteArrayOutputStream();
    try (var out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
