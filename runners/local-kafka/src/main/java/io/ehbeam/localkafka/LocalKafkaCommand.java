package io.ehbeam.localkafka;

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
    String action = args.length == 0 ? "status" : args[0];
    LocalKafka broker = defaultBroker();
    switch (action) {
      case "start":
        boolean wasRunning = broker.isRunning();
        if (!wasRunning) {
          System.err.println("Starting the local Kafka broker (state in " + broker.home() + ") ...");
        }
        broker.start(false);
        System.err.println(wasRunning ? "The local broker already runs:" : "The local broker runs:");
        System.out.println(broker.bootstrapServers());
        return 0;
      case "stop":
        if (!broker.process().isPresent()) {
          System.err.println("The local broker is not running.");
          return 0;
        }
        broker.stop();
        System.err.println("The local broker stopped; its topics and records are kept (reset wipes them).");
        return 0;
      case "status":
        if (broker.isRunning()) {
          System.err.println("The local broker runs (state in " + broker.home() + "):");
          System.out.println(broker.bootstrapServers());
          return 0;
        }
        System.err.println("The local broker is not running (./run local-kafka start).");
        return 3;
      case "reset":
        broker.reset();
        System.err.println("The local broker is stopped and its topics and records are deleted.");
        return 0;
      default:
        System.err.println("Usage: ./run local-kafka start|stop|status|reset");
        return 2;
    }
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }
}
