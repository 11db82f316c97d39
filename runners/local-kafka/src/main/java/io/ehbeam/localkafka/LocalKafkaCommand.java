package io.ehbeam.localkafka;

import io.ehbeam.local.LocalServiceCommand;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

/**
 * {@code ./run local-kafka start|stop|status|reset|connection-string}: the laptop's broker, on port
 * 9092 by default, its state under {@code .local/kafka} of the project (git-ignored). It behaves like
 * an event hub where Kafka allows (append-time stamps, Event Hubs' request limit;
 * {@code start --timestampType=CreateTime} for plain-Kafka semantics) and also listens on 9093 as
 * the Event Hubs emulator does: SASL PLAIN over plain TCP, the connection string as password. {@code
 * connection-string} prints one such string, with a key made when the broker's folder was made.
 */
public final class LocalKafkaCommand {
  public static final int DEFAULT_PORT = 9092;
  static final String POLICY_FILE = "eventhubs-policy.properties";
  /** The policy name Event Hubs gives a namespace's first policy (and the emulator uses). */
  static final String KEY_NAME = "RootManageSharedAccessKey";

  private LocalKafkaCommand() {}

  public static LocalKafka defaultBroker() {
    String home = System.getProperty("ehbeam.localKafkaHome");
    if (home == null) {
      home = System.getenv().getOrDefault("EHBEAM_LOCAL_KAFKA_HOME", ".local/kafka");
    }
    int port = Integer.parseInt(System.getenv().getOrDefault("EHBEAM_LOCAL_KAFKA_PORT", Integer.toString(DEFAULT_PORT)));
    int emulatorPort = Integer.parseInt(System.getenv().getOrDefault("EHBEAM_LOCAL_KAFKA_SASL_PORT", Integer.toString(port + 1)));
    Path dir = Path.of(home);
    return new LocalKafka(dir, port, port + 10000, new LocalKafka.Policy(KEY_NAME, key(dir), emulatorPort, 0));
  }

  /** The policy's key: made at random once per broker folder (reset makes a new one). */
  static String key(Path home) {
    Path file = home.resolve(POLICY_FILE);
    Properties p = new Properties();
    try {
      if (Files.exists(file)) {
        try (Reader in = Files.newBufferedReader(file)) {
          p.load(in);
        }
      } else {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        p.setProperty("keyName", KEY_NAME);
        p.setProperty("key", Base64.getEncoder().encodeToString(key));
        Files.createDirectories(home);
        try (Writer out = Files.newBufferedWriter(file)) {
          p.store(out, "The local broker's shared access policy (local use only; reset makes a new key)");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or write " + file, e);
    }
    return p.getProperty("key");
  }

  /** @return the process exit code */
  public static int run(String[] args) {
    LocalKafka broker = defaultBroker();
    List<String> rest = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("--timestampType=")) {
        try {
          broker = broker.withTimestampType(LocalKafka.TimestampType.parse(arg.substring("--timestampType=".length())));
        } catch (IllegalArgumentException e) {
          System.err.println("error: " + e.getMessage());
          return 2;
        }
      } else {
        rest.add(arg);
      }
    }
    if (!rest.isEmpty() && rest.get(0).equals("start") && broker.isRunning() && !broker.timestampType().equals(runningTimestampType(broker))) {
      System.err.println("error: the local broker runs with --timestampType=" + runningTimestampType(broker).kafkaName
          + "; stop it first (./run local-kafka stop) to start it with " + broker.timestampType().kafkaName);
      return 1;
    }
    LocalKafka service = broker;
    return new LocalServiceCommand("local-kafka", service)
        .with("reset", "", verb -> {
          service.reset();
          System.err.println("The local Kafka broker is stopped and its topics and records are deleted.");
          return 0;
        })
        .with("connection-string", "", verb -> {
          LocalKafka.Policy policy = service.policy().orElseThrow();
          System.out.println(policy.emulatorConnectionString());
          System.err.println("An Event Hubs connection string (the Event Hubs emulator's form) for the local broker's"
              + " SASL listener on localhost:" + policy.emulatorPort() + (service.isRunning() ? "" : "; the broker is not"
              + " running (./run local-kafka start)") + ". Use it as EVENTHUBS_CONNECTION_STRING or --inputConnectionString.");
          return 0;
        })
        .run(rest.toArray(new String[0]));
  }

  /** The timestamp type the running broker was started with (its last written configuration). */
  static LocalKafka.TimestampType runningTimestampType(LocalKafka broker) {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(broker.home().resolve("server.properties"))) {
      p.load(in);
    } catch (IOException e) {
      return LocalKafka.TimestampType.APPEND_TIME;
    }
    return LocalKafka.TimestampType.parse(p.getProperty("log.message.timestamp.type", "LogAppendTime"));
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }
}
