package io.ehbeam.localkafka;

import io.ehbeam.local.LocalServiceCommand;
import java.nio.file.Path;

/**
 * {@code ./run local-kafka start|stop|status|reset}: the laptop's broker, on port 9092 by default,
 * its state under {@code .local/kafka} of the project (git-ignored).
 */
public final class LocalKafkaCommand {
  public static final int DEFAULT_PORT = 9092;

  private LocalKafkaCommand() {}

  public static LocalKafka defaultBroker() {
    String home = System.getProperty("ehbeam.localKafkaHome");
    if (home == null) {
      home = System.getenv().getOrDefault("EHBEAM_LOCAL_KAFKA_HOME", ".local/kafka");
    }
    int port = Integer.parseInt(System.getenv().getOrDefault("EHBEAM_LOCAL_KAFKA_PORT", Integer.toString(DEFAULT_PORT)));
    return new LocalKafka(Path.of(home), port, port + 10000, null);
  }

  /** @return the process exit code */
  public static int run(String[] args) {
    LocalKafka broker = defaultBroker();
    return new LocalServiceCommand("local-kafka", broker).with("reset", "", verb -> {
      broker.reset();
      System.err.println("The local Kafka broker is stopped and its topics and records are deleted.");
      return 0;
    }).run(args);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }
}
