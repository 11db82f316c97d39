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
 * <p>The whole string is the password of Event Hubs' Kafka endpoint, so it is a secret: {@link
 * #toString()} and every error message name the namespace and key name at most, never the key.
 */
public final class EventHubsConnectionString implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Event Hubs serves the Kafka protocol on this port of the namespace host. */
  public static final int KAFKA_PORT = 9093;

  private final String namespaceHost;
  private final String keyName;
  private final String entityPath;
  private final String secret;

  private EventHubsConnectionString(
      String namespaceHost, String keyName, String entityPath, String secret) {
    this.namespaceHost = namespaceHost;
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
    return new EventHubsConnectionString(namespaceHost(endpoint, what), keyName, entityPath, raw.trim());
  }

  private static String namespaceHost(String endpoint, String what) {
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
    return uri.getHost();
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
      default:
        return lowerName;
    }
  }

  /** {@code NS.servicebus.windows.net}. */
  public String namespaceHost() {
    return namespaceHost;
  }

  /** {@code NS.servicebus.windows.net:9093}, the Kafka bootstrap address. */
  public String bootstrapServers() {
    return namespaceHost + ":" + KAFKA_PORT;
  }

  public String keyName() {
    return keyName;
  }

  /** The event hub (Kafka topic) the string is scoped to, or null for a namespace-level string. */
  public String entityPath() {
    return entityPath;
  }

  /** The full string: Event Hubs' Kafka endpoint takes it as the SASL PLAIN password. */
  String secret() {
    return secret;
  }

  @Override
  public String toString() {
    return "EventHubs{" + namespaceHost + (entityPath == null ? "" : "/" + entityPath)
        + ", key=" + keyName + ":****}";
  }
}
