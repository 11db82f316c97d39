package io.ehbeam.transforms.connect;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Where one side of a pipeline reads or writes: a Kafka bootstrap address, a topic, and the client
 * settings for it. The one place that turns "plain Kafka" or "Event Hubs connection string" into
 * Kafka client configuration; every pipeline and command goes through it.
 *
 * <p>An endpoint holds no secret, so that none is serialized with a job: the SASL password (the
 * connection string) and password-like {@code --kafkaProperty} values are {@link SecretReference}
 * placeholders, resolved by Kafka's config providers in each client when it is created. The settings
 * that carry them are still kept apart ({@link #secretSettings}) and added only inside the client
 * factories: {@link #visibleSettings} is what KafkaIO sees and shows.
 */
public final class KafkaEndpoint implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Event Hubs' largest accepted request is 1,046,528 bytes; stay below it. */
  public static final int MAX_REQUEST_BYTES = 1_000_000;

  /**
   * Client settings Event Hubs recommends for its Kafka endpoint, applied to every client (they are
   * sane for a plain broker too) unless overridden with {@code --kafkaProperty}.
   */
  static final Map<String, Object> RECOMMENDED_COMMON =
      Map.of(
          CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 60_000,
          CommonClientConfigs.METADATA_MAX_AGE_CONFIG, 180_000,
          CommonClientConfigs.CONNECTIONS_MAX_IDLE_MS_CONFIG, 180_000);

  /**
   * Consumers read committed data only: what an exactly-once writer aborted (after a failure) is
   * never seen. On a hub written without transactions this reads exactly what it would otherwise.
   */
  static final Map<String, Object> RECOMMENDED_CONSUMER =
      Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 30_000, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");

  static final Map<String, Object> RECOMMENDED_PRODUCER =
      Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);

  /**
   * Throughput settings every client gets, the jobs' and the benchmark's baseline alike: Kafka's
   * defaults send 16 KiB batches without waiting and fetch whatever is there, which caps a relay at
   * a fraction of what the broker moves. Producer batches of 256 KiB after at most 5 ms (a request
   * stays under {@link #MAX_REQUEST_BYTES}; no compression, which not every Event Hubs tier takes);
   * fetches of at least 64 KiB or 100 ms, 2,000 records a poll. A quiet hub waits at most those 5 +
   * 100 ms longer. {@code --kafkaProperty} overrides each.
   */
  public static final Map<String, Object> THROUGHPUT_PRODUCER =
      orderedMap(
          ProducerConfig.LINGER_MS_CONFIG, 5,
          ProducerConfig.BATCH_SIZE_CONFIG, 262_144,
          ProducerConfig.BUFFER_MEMORY_CONFIG, 64L << 20);

  /** See {@link #THROUGHPUT_PRODUCER}. */
  public static final Map<String, Object> THROUGHPUT_CONSUMER =
      orderedMap(
          ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000,
          ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 65_536,
          ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);

  /**
   * What a streaming read fetches with instead of {@link #THROUGHPUT_CONSUMER}'s 64 KiB: whatever is
   * there. On a live hub the 64 KiB fill is the largest delay (Flink's relay at 1,000 events/s: p50
   * 57 ms); on a backlog every fetch is full either way. {@code --kafkaProperty} overrides it.
   */
  public static final Map<String, Object> STREAMING_CONSUMER = Map.of(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);

  private static Map<String, Object> orderedMap(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(map);
  }

  private final String bootstrapServers;
  private final String topic;
  private final String description;
  /** Safe to show: no secret in here. Keys may carry a "consumer."/"producer."/"admin." prefix. */
  private final Map<String, String> visibleSettings;
  /** SASL JAAS config, store passwords: placeholders only, and still never shown. Same prefix rule. */
  private final Map<String, String> secretSettings;

  private KafkaEndpoint(
      String bootstrapServers,
      String topic,
      String description,
      Map<String, String> visibleSettings,
      Map<String, String> secretSettings) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.description = description;
    this.visibleSettings = Collections.unmodifiableMap(new LinkedHashMap<>(visibleSettings));
    this.secretSettings = Collections.unmodifiableMap(new LinkedHashMap<>(secretSettings));
  }

  /** A plain Kafka broker (the local one, or any cluster reached without SASL). */
  public static KafkaEndpoint plainKafka(String bootstrapServers, String topic) {
    requireNonBlank(bootstrapServers, "bootstrap servers");
    return new KafkaEndpoint(
        bootstrapServers, topic, "kafka://" + bootstrapServers, Map.of(), Map.of());
  }

  /**
   * Event Hubs' Kafka endpoint, the connection string given as a value: it is kept in this JVM
   * ({@link SecretReference#of}), for jobs whose workers run here and for launcher-side clients.
   */
  public static KafkaEndpoint eventHubs(
      EventHubsConnectionString connection, String topic, String bootstrapOverride) {
    return eventHubs(connection, SecretReference.of(connection.secret(), connection.toString()), topic, bootstrapOverride);
  }

  /**
   * Event Hubs' Kafka endpoint: SASL_SSL, mechanism PLAIN, user {@code $ConnectionString}, the
   * connection string as password. The topic is the given one, else the string's EntityPath.
   *
   * @param password where each client finds the connection string (the string {@code connection}
   *     was parsed from)
   * @param bootstrapOverride host:port to use instead of NS.servicebus.windows.net:9093 (a private
   *     endpoint, or a local test listener); null for the default
   */
  public static KafkaEndpoint eventHubs(
      EventHubsConnectionString connection, SecretReference password, String topic, String bootstrapOverride) {
    String resolvedTopic = topic != null && !topic.isBlank() ? topic : connection.entityPath();
    String bootstrap =
        bootstrapOverride != null && !bootstrapOverride.isBlank()
            ? bootstrapOverride
            : connection.bootstrapServers();
    Map<String, String> visible = new LinkedHashMap<>();
    // The emulator (and ./run local-kafka) serves SASL over plain TCP; Event Hubs only over TLS.
    visible.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, connection.isDevelopmentEmulator() ? "SASL_PLAINTEXT" : "SASL_SSL");
    visible.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
    Map<String, String> secret = new LinkedHashMap<>();
    // The placeholder goes in verbatim: Kafka substitutes it before it parses the JAAS line.
    secret.put(SaslConfigs.SASL_JAAS_CONFIG, plainJaas("$ConnectionString") + " password=\"" + password.placeholder() + "\";");
    return new KafkaEndpoint(bootstrap, resolvedTopic, connection.toString(), visible, secret);
  }

  /**
   * Adds {@code key=value} client settings (from {@code --kafkaProperty}), which win over every
   * default. A key may be prefixed with {@code consumer.}, {@code producer.} or {@code admin.} to
   * reach one kind of client only. Values of password-like keys are kept secret: a value that holds
   * a reference ({@code ${env:NAME}}, {@code ${file:path:key}}, {@code ${dir:path:key}}) stays as
   * given, any other is kept in this JVM and replaced by its {@link SecretReference}.
   */
  public KafkaEndpoint withProperties(Iterable<String> keyValues) {
    Map<String, String> visible = new LinkedHashMap<>(visibleSettings);
    Map<String, String> secret = new LinkedHashMap<>(secretSettings);
    if (keyValues != null) {
      for (String keyValue : keyValues) {
        int eq = keyValue == null ? -1 : keyValue.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException(
              "--kafkaProperty expects key=value, got '" + KafkaEndpoint.redactedKey(keyValue) + "'");
        }
        String key = keyValue.substring(0, eq).trim();
        String value = keyValue.substring(eq + 1);
        if (isSecretKey(key)) {
          visible.remove(key);
          secret.put(key, SecretReference.allIn(value).isEmpty()
              ? SecretReference.of(value, "--kafkaProperty " + key).placeholder() : value);
        } else {
          secret.remove(key);
          visible.put(key, value);
        }
      }
    }
    return new KafkaEndpoint(bootstrapServers, topic, description, visible, secret);
  }

  /** The same endpoint with another topic (e.g. the dead-letter topic next to the output). */
  public KafkaEndpoint withTopic(String otherTopic) {
    return new KafkaEndpoint(
        bootstrapServers, otherTopic, description, visibleSettings, secretSettings);
  }

  /** True for Kafka settings whose values are secrets (passwords, JAAS lines, keys). */
  public static boolean isSecretKey(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password") || k.contains("jaas") || k.contains("secret") || k.endsWith(".key")
        || k.contains("ssl.keystore.key") || k.contains("credentials");
  }

  private static String redactedKey(String keyValue) {
    if (keyValue == null) {
      return "null";
    }
    int eq = keyValue.indexOf('=');
    return eq < 0 ? keyValue.replaceAll(".", "*") : keyValue.substring(0, eq) + "=****";
  }

  private static String plainJaas(String user) {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + escapeJaas(user) + "\"";
  }

  private static String escapeJaas(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static void requireNonBlank(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("No " + what + " given");
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The topic (event hub); may be null when none was given. */
  public String topic() {
    return topic;
  }

  /** The topic, or a clear error naming the option that should have set it. */
  public String requireTopic(String optionName) {
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException(
          "No topic: set " + optionName + " or use a connection string with EntityPath");
    }
    return topic;
  }

  public boolean isSecured() {
    return !secretSettings.isEmpty()
        || "SASL_SSL".equals(visibleSettings.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG));
  }

  /** Settings for a consumer that reads a backlog (a plan, a listing), without secrets: what KafkaIO may show. */
  public Map<String, Object> consumerSettings(String consumerGroup, String autoOffsetReset) {
    return consumerSettings(consumerGroup, autoOffsetReset, Map.of());
  }

  /** Settings for a consumer that follows a live hub ({@link #STREAMING_CONSUMER}), without secrets. */
  public Map<String, Object> streamingConsumerSettings(String consumerGroup, String autoOffsetReset) {
    return consumerSettings(consumerGroup, autoOffsetReset, STREAMING_CONSUMER);
  }

  private Map<String, Object> consumerSettings(
      String consumerGroup, String autoOffsetReset, Map<String, Object> tuning) {
    Map<String, Object> config = new LinkedHashMap<>(RECOMMENDED_COMMON);
    config.putAll(RECOMMENDED_CONSUMER);
    config.putAll(THROUGHPUT_CONSUMER);
    config.putAll(tuning);
    if (consumerGroup != null) {
      config.put(ConsumerConfig.GROUP_ID_CONFIG, consumerGroup);
    }
    if (autoOffsetReset != null) {
      config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, autoOffsetReset);
    }
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    putFor("consumer", visibleSettings, config);
    return config;
  }

  /** Settings for a producer without secrets: what KafkaIO may show. */
  public Map<String, Object> producerSettings() {
    Map<String, Object> config = new LinkedHashMap<>(RECOMMENDED_COMMON);
    config.putAll(RECOMMENDED_PRODUCER);
    config.putAll(THROUGHPUT_PRODUCER);
    putFor("producer", visibleSettings, config);
    return config;
  }

  /** The largest record the producer may send, as configured. */
  public int maxRequestBytes() {
    Object v = producerSettings().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    return Integer.parseInt(String.valueOf(v));
  }

  /**
   * The largest key plus value a pipeline may hand to the producer: the request limit less room for
   * the batch and record headers, so that an event at the limit never fails the producer.
   */
  public int maxEventBytes() {
    return maxRequestBytes() - 1024;
  }

  private static void putFor(String kind, Map<String, String> settings, Map<String, Object> into) {
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String key = e.getKey();
      int dot = key.indexOf('.');
      String prefix = dot > 0 ? key.substring(0, dot) : "";
      if (prefix.equals("consumer") || prefix.equals("producer") || prefix.equals("admin")) {
        if (prefix.equals(kind)) {
          into.put(key.substring(dot + 1), e.getValue());
        }
      } else {
        into.put(key, e.getValue());
      }
    }
  }

  /**
   * Complete client configuration for handing to a Kafka client: secret settings (placeholders)
   * and the config providers that resolve them. Checks first that every placeholder resolves in
   * this process, so that a missing secret is one clear line rather than a broker's refusal.
   */
  private Map<String, Object> complete(String kind, Map<String, Object> base) {
    Map<String, Object> config = new LinkedHashMap<>(SecretReference.kafkaProviderSettings());
    config.putAll(base);
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    putFor(kind, visibleSettings, config);
    putFor(kind, secretSettings, config);
    for (Object value : config.values()) {
      if (value instanceof String) {
        SecretReference.allIn((String) value).forEach(SecretReference::resolve);
      }
    }
    return config;
  }

  /** For {@code KafkaIO.Read.withConsumerFactoryFn}: adds the secrets when a consumer is made. */
  public SerializableFunction<Map<String, Object>, Consumer<byte[], byte[]>> consumerFactory() {
    return new ConsumerFactory(this);
  }

  /**
   * For {@code KafkaIO.WriteRecords.withProducerFactoryFn}: adds the secrets when a producer is made;
   * writers with the same settings in one JVM share one (transactional ones excepted).
   */
  public SerializableFunction<Map<String, Object>, Producer<byte[], byte[]>> producerFactory() {
    return new ProducerFactory(this);
  }

  /** A consumer outside KafkaIO (topic listings, peeking, offset plans). */
  public Consumer<byte[], byte[]> newConsumer(String consumerGroup) {
    Map<String, Object> config = complete("consumer", consumerSettings(consumerGroup, "earliest"));
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * The producer this JVM shares for this endpoint's settings, for a step that writes outside
   * KafkaIO: {@code close()} flushes and gives it back (see {@link SharedProducers}).
   */
  public Producer<byte[], byte[]> sharedProducer() {
    Map<String, Object> config = complete("producer", producerSettings());
    return SharedProducers.lend(config,
        () -> new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()));
  }

  /** A producer of its own, outside KafkaIO (sample data, load generation). */
  public Producer<byte[], byte[]> newProducer() {
    return new KafkaProducer<>(
        complete("producer", producerSettings()), new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** An admin client (topic creation, offsets); close it after use. */
  public Admin newAdmin() {
    Map<String, Object> config = new LinkedHashMap<>(RECOMMENDED_COMMON);
    return Admin.create(complete("admin", config));
  }

  @Override
  public String toString() {
    return description + (topic == null ? "" : " topic=" + topic);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof KafkaEndpoint)) {
      return false;
    }
    KafkaEndpoint other = (KafkaEndpoint) o;
    return bootstrapServers.equals(other.bootstrapServers)
        && Objects.equals(topic, other.topic)
        && visibleSettings.equals(other.visibleSettings)
        && secretSettings.equals(other.secretSettings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(bootstrapServers, topic, visibleSettings);
  }

  private static final class ConsumerFactory
      implements SerializableFunction<Map<String, Object>, Consumer<byte[], byte[]>> {
    private static final long serialVersionUID = 1L;
    private final KafkaEndpoint endpoint;

    ConsumerFactory(KafkaEndpoint endpoint) {
      this.endpoint = endpoint;
    }

    @Override
    public Consumer<byte[], byte[]> apply(Map<String, Object> kafkaIoConfig) {
      return new KafkaConsumer<>(endpoint.complete("consumer", kafkaIoConfig));
    }

    @Override
    public String toString() {
      return "ConsumerFactory{" + endpoint + "}";
    }
  }

  private static final class ProducerFactory
      implements SerializableFunction<Map<String, Object>, Producer<byte[], byte[]>> {
    private static final long serialVersionUID = 1L;
    private final KafkaEndpoint endpoint;

    ProducerFactory(KafkaEndpoint endpoint) {
      this.endpoint = endpoint;
    }

    @Override
    public Producer<byte[], byte[]> apply(Map<String, Object> kafkaIoConfig) {
      Map<String, Object> config = endpoint.complete("producer", kafkaIoConfig);
      return SharedProducers.lend(config, () -> new KafkaProducer<>(config));
    }

    @Override
    public String toString() {
      return "ProducerFactory{" + endpoint + "}";
    }
  }
}
