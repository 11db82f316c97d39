package io.ehbeam.transforms.connect;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.provider.ConfigProvider;

/**
 * Secrets given on the command line, kept in this JVM and nowhere else; Kafka clients read them as
 * {@code ${process:id}} through this config provider. Runners whose workers run in the launching
 * JVM (DirectRunner, Flink [local], Spark local[N]) thus never serialize the secret with the job.
 * A worker in another process finds no entry: {@link SecretReference#resolve} then says what to do.
 */
public final class InProcessSecrets implements ConfigProvider {
  private static final Map<String, String> VALUES = new ConcurrentHashMap<>();
  private static final Map<String, String> ORIGINS = new ConcurrentHashMap<>();

  /** Keeps {@code value}; returns its id. {@code origin} names it in errors (never the value). */
  static String keep(String value, String origin) {
    String id = UUID.randomUUID().toString();
    VALUES.put(id, value);
    ORIGINS.put(id, origin);
    return id;
  }

  static String originOf(String id) {
    return ORIGINS.getOrDefault(id, "id " + id);
  }

  @Override
  public ConfigData get(String path) {
    return new ConfigData(Map.of()); // never lists what it holds
  }

  @Override
  public ConfigData get(String path, Set<String> keys) {
    Map<String, String> found = new java.util.HashMap<>();
    for (String key : keys) {
      String value = VALUES.get(key);
      if (value != null) {
        found.put(key, value);
      }
    }
    return new ConfigData(found);
  }

  @Override
  public void configure(Map<String, ?> configs) {}

  @Override
  public void close() {}
}
