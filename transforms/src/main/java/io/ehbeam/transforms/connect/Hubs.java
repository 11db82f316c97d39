package io.ehbeam.transforms.connect;

import java.util.Map;

/**
 * Turns {@link HubOptions} and the environment into the input, output and dead-letter {@link
 * KafkaEndpoint}s of a job. Reads the connection strings once; the endpoints hold references to the
 * strings, never the strings. A job's command line reaches here with references only ({@code
 * JobArguments}); a value set in code is kept in this JVM too, but stays in the caller's options.
 */
public final class Hubs {
  public static final String ENV_INPUT = "EVENTHUBS_INPUT_CONNECTION_STRING";
  public static final String ENV_OUTPUT = "EVENTHUBS_OUTPUT_CONNECTION_STRING";
  public static final String ENV_BOTH = "EVENTHUBS_CONNECTION_STRING";

  private final KafkaEndpoint input;
  private final KafkaEndpoint output;
  private final String consumerGroup;
  private final String autoOffsetReset;

  private Hubs(KafkaEndpoint input, KafkaEndpoint output, String consumerGroup, String reset) {
    this.input = input;
    this.output = output;
    this.consumerGroup = consumerGroup;
    this.autoOffsetReset = reset;
  }

  /** Resolves with the process environment. */
  public static Hubs resolve(HubOptions options, String defaultConsumerGroup) {
    return resolve(options, defaultConsumerGroup, System.getenv());
  }

  /**
   * Resolves endpoints: an explicit connection string option wins over its environment variable,
   * which wins over {@value #ENV_BOTH}; an output without a string of its own is in the input's
   * namespace (topics as named, never the input's EntityPath); without any, plain Kafka at {@code
   * --bootstrapServers}.
   *
   * <p>The strings are read here once, to find the namespace and EntityPath; the endpoints keep only
   * where each client finds them ({@link SecretReference}): the variable's name for one from the
   * environment, the reference for an option given as {@code ${env:..}}, {@code ${file:..}} or
   * {@code ${dir:..}}, and a {@code ${process:..}} id for a literal option value.
   */
  public static Hubs resolve(HubOptions options, String defaultConsumerGroup, Map<String, String> env) {
    Secret inputString = secret(options.getInputConnectionString(), "--inputConnectionString", env, ENV_INPUT, ENV_BOTH);
    Secret outputString = secret(options.getOutputConnectionString(), "--outputConnectionString", env, ENV_OUTPUT, ENV_BOTH);

    String bootstrapOption = options.getBootstrapServers();
    boolean bootstrapIsDefault = HubOptions.LOCAL_BOOTSTRAP.equals(bootstrapOption);
    KafkaEndpoint input =
        endpoint(inputString, options.getInputTopic(), bootstrapOption, bootstrapIsDefault)
            .withProperties(options.getKafkaProperty());
    KafkaEndpoint output;
    if (outputString == null && inputString != null && bootstrapIsDefault) {
      // Only the input's string: outputs (and dead letters) go to the same namespace.
      output = KafkaEndpoint.eventHubs(inputString.parsed.namespaceOnly(), inputString.reference,
          options.getOutputTopic(), null).withProperties(options.getKafkaProperty());
    } else {
      output = endpoint(outputString, options.getOutputTopic(), bootstrapOption, bootstrapIsDefault)
          .withProperties(options.getKafkaProperty());
    }

    // Kafka's auto.offset.reset takes the same words.
    String reset = (options.getStartOffset() == null ? HubOptions.StartOffset.EARLIEST : options.getStartOffset()).toString();
    String group = firstNonBlank(options.getConsumerGroup(), defaultConsumerGroup);
    return new Hubs(input, output, group, reset);
  }

  /** A connection string as parsed here, and where the workers' clients find it. */
  private static final class Secret {
    final EventHubsConnectionString parsed;
    final SecretReference reference;

    Secret(EventHubsConnectionString parsed, SecretReference reference) {
      this.parsed = parsed;
      this.reference = reference;
    }
  }

  private static Secret secret(String option, String optionName, Map<String, String> env, String... variables) {
    if (option != null && !option.isBlank()) {
      SecretReference reference = SecretReference.of(option, optionName);
      String value = SecretReference.isReference(option) ? resolveHere(reference, optionName) : option;
      return new Secret(EventHubsConnectionString.parse(value, optionName), reference);
    }
    for (String variable : variables) {
      String value = env.get(variable);
      if (value != null && !value.isBlank()) {
        return new Secret(EventHubsConnectionString.parse(value, variable), SecretReference.env(variable));
      }
    }
    return null;
  }

  private static String resolveHere(SecretReference reference, String optionName) {
    try {
      return reference.resolve();
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(optionName + "=" + reference + ": " + e.getMessage());
    }
  }

  private static KafkaEndpoint endpoint(
      Secret connectionString, String topic, String bootstrap, boolean bootstrapIsDefault) {
    if (connectionString == null) {
      return KafkaEndpoint.plainKafka(bootstrap, topic);
    }
    return KafkaEndpoint.eventHubs(connectionString.parsed, connectionString.reference, topic,
        bootstrapIsDefault ? null : bootstrap);
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  public KafkaEndpoint input() {
    return input;
  }

  public KafkaEndpoint output() {
    return output;
  }

  /** The output, writing to {@code defaultTopic} when neither --outputTopic nor an EntityPath names one. */
  public KafkaEndpoint outputOr(String defaultTopic) {
    return output.topic() == null || output.topic().isBlank() ? output.withTopic(defaultTopic) : output;
  }

  /** The dead-letter endpoint: the output's namespace, {@code --deadLetterTopic} or {@code <output>-deadletter}. */
  public KafkaEndpoint deadLetter(HubOptions options) {
    return deadLetterOf(output, options);
  }

  /** The dead-letter endpoint next to {@code out}: {@code --deadLetterTopic} or {@code <out topic>-deadletter}. */
  public static KafkaEndpoint deadLetterOf(KafkaEndpoint out, HubOptions options) {
    String topic = options.getDeadLetterTopic();
    if (topic == null || topic.isBlank()) {
      topic = out.requireTopic("--outputTopic") + "-deadletter";
    }
    return out.withTopic(topic);
  }

  public String consumerGroup() {
    return consumerGroup;
  }

  /** Kafka's auto.offset.reset: earliest or latest. */
  public String autoOffsetReset() {
    return autoOffsetReset;
  }
}
