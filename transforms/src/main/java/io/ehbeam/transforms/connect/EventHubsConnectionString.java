package io.ehbeam.transforms.connect;

import java.io.Serializable;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An Azure Event Hubs connection string, parsed and checked.
 *
 * <p>{@code Endpoint=sb://NS.servicebus.windows.net/;SharedAccessKeyName=NAME;SharedAccessKey=KEY[;EntityPath=HUB]}
 *
 * <p>With {@code UseDevelopmentEmulator=true} (Microsoft's Event Hubs emulator, or {@code ./run
 * local-kafka connection-string}) the Kafka endpoint is the Endpoint's host on its port (9092 when
 * none is given) over plain TCP, SASL PLAIN with the same user and password, as the emulator serves it.
 *
 * <p>The whole string is the password of Event Hubs' Kafka endpoint, so it is a secret: {@link
 * #toString()} and every error message name the namespace and key name at most, never the key.
 */
public final class EventHubsConnectionString implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Event Hubs serves the Kafka protocol on this port of the namespace host. */
  public static final int KAFKA_PORT = 9093;
  /** The Event Hubs emulator serves Kafka on this port unless the Endpoint names another. */
  public static final int EMULATOR_KAFKA_PORT = 9092;

  private final String namespaceHost;
  private final String keyName;
  private final String entityPath;
  private final String secret;
  private final int port;
  private final boolean developmentEmulator;

  private EventHubsConnectionString(String namespaceHost, int port, boolean developmentEmulator, String keyName,
      String entityPath, String secret) {
    this.namespaceHost = namespaceHost;
    this.port = port;
    this.developmentEmulator = developmentEmulator;
    this.keyName = keyName;
    this.entityPath = entityPath;
    this.secret = secret;
  }

  /**
   * Parses a connection string.
   *
   * @param what how to name this string in an error, e.g. "--inputConnectionString"
   * @throws IllegalArgumentException naming what is wrong, without echoing the key
   */
  public static EventHubsConnectionString parse(String raw, String what) {
    if (raw == null || raw.isBlank()) {
      throw new IllegalArgumentException(what + " is empty");
    }
    Map<String, String> parts = new LinkedHashMap<>();
    for (String segment : raw.trim().split(";")) {
      if (segment.isBlank()) {
        continue;
      }
      int eq = segment.indexOf('=');
      if (eq <= 0) {
        // Show only the part before any '=' so a pasted key can never end up in the message.
        throw new IllegalArgumentException(
            what + " is not an Event Hubs connection string: expected 'Name=value' pairs separated by"
                + " ';' (Endpoint, SharedAccessKeyName, SharedAccessKey, EntityPath)");
      }
      String name = segment.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = segment.substring(eq + 1).trim();
      if (parts.put(name, value) != null) {
        throw new IllegalArgumentException(what + " names '" + canonical(name) + "' twice");
      }
    }
    String endpoint = required(parts, "endpoint", what);
    String keyName = required(parts, "sharedaccesskeyname", what);
    if (parts.containsKey("sharedaccesssignature")) {
      throw new IllegalArgumentException(
          what + " uses a SharedAccessSignature; use a SharedAccessKeyName/SharedAccessKey policy");
    }
    required(parts, "sharedaccesskey", what);
    String entityPath = parts.get("entitypath");
    if (entityPath != null && entityPath.isEmpty()) {
      throw new IllegalArgumentException(what + " has an empty EntityPath");
    }
    String emulator = parts.getOrDefault("usedevelopmentemulator", "false");
    if (!emulator.equalsIgnoreCase("true") && !emulator.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(what + " has UseDevelopmentEmulator=" + emulator + "; expected true or false");
    }
    boolean developmentEmulator = emulator.equalsIgnoreCase("true");
    URI uri = endpointUri(endpoint, what);
    int port = uri.getPort() > 0 ? uri.getPort() : developmentEmulator ? EMULATOR_KAFKA_PORT : KAFKA_PORT;
    return new EventHubsConnectionString(uri.getHost(), port, developmentEmulator, keyName, entityPath, raw.trim());
  }

  private static URI endpointUri(String endpoint, String what) {
    URI uri;
    try {
      uri = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " has an Endpoint that is not a URI: " + endpoint);
    }
    if (!"sb".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          what + " has Endpoint '" + endpoint + "'; expected sb://<namespace>.servicebus.windows.net/");
    }
    return uri;
  }

  private static String required(Map<String, String> parts, String name, String what) {
    String value = parts.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(what + " has no " + canonical(name));
    }
    return value;
  }

  private static String canonical(String lowerName) {
    switch (lowerName) {
      case "endpoint":
        return "Endpoint";
      case "sharedaccesskeyname":
        return "SharedAccessKeyName";
      case "sharedaccesskey":
        return "SharedAccessKey";
      case "entitypath":
        return "EntityPath";
      case "usedevelopmentemulator":
        return "UseDevelopmentEmulator";
      default:
        return lowerName;
    }
  }

  /** {@code NS.servicebus.windows.net}. */
  public String namespaceHost() {
    return namespaceHost;
  }

  /** {@code NS.servicebus.windows.net:9093}, the Kafka bootstrap address (the emulator's: host:9092). */
  public String bootstrapServers() {
    return namespaceHost + ":" + port;
  }

  /** True for the Event Hubs emulator's strings: Kafka over plain TCP, no TLS. */
  public boolean isDevelopmentEmulator() {
    return developmentEmulator;
  }

  public String keyName() {
    return keyName;
  }

  /** The event hub (Kafka topic) the string is scoped to, or null for a namespace-level string. */
  public String entityPath() {
    return entityPath;
  }

  /**
   * The same namespace and key, scoped to no hub: where a job writes when only its input's string is
   * given (the password stays the whole string; only the default topic is dropped, so that a job
   * never writes into the hub it reads by default).
   */
  public EventHubsConnectionString namespaceOnly() {
    return new EventHubsConnectionString(namespaceHost, port, developmentEmulator, keyName, null, secret);
  }

  /** The full string: Event Hubs' Kafka endpoint takes it as the SASL PLAIN password. */
  String secret() {
    return secret;
  }

  @Override
  public String toString() {
    return "EventHubs" + (developmentEmulator ? "Emulator{" : "{") + namespaceHost + (!developmentEmulator && port == KAFKA_PORT ? "" : ":" + port)
        + (entityPath == null ? "" : "/" + entityPath)
        + ", key=" + keyName + ":****}";
  }
}
