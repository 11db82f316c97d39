package io.ehbeam.localkafka;

import io.ehbeam.local.LocalProcess;
import io.ehbeam.local.LocalServiceCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A real Apache Kafka broker (KRaft: broker and controller in one process) in its own JVM, with its
 * state in one folder. {@code stop} then {@code start} keeps every topic and record; {@code reset}
 * wipes them.
 *
 * <p>This class uses the JDK only. The broker runs from Kafka 4.x with its own client classes, on a
 * classpath Maven resolved at build time (the {@code broker.classpath} resource); the pipelines use
 * kafka-clients 3.9.1 and the two must not share a JVM.
 *
 * <p>Optionally the broker also listens with SASL_SSL and mechanism PLAIN, as Event Hubs does: user
 * {@code $ConnectionString}, a given password, and a self-signed certificate made here with the
 * JDK's keytool. That listener exists for tests of the Event Hubs code path.
 */
public final class LocalKafka implements LocalServiceCommand.Service {
  private static final String READY_LINE = "Kafka Server started";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private final Path home;
  private final int port;
  private final int controllerPort;
  private final SaslSsl saslSsl;
  private final LocalProcess process;

  /** The SASL_SSL listener's settings. */
  public static final class SaslSsl {
    public final int port;
    public final String password;

    public SaslSsl(int port, String password) {
      this.port = port;
      this.password = password;
    }
  }

  public LocalKafka(Path home, int port, int controllerPort, SaslSsl saslSsl) {
    this.home = home.toAbsolutePath();
    this.port = port;
    this.controllerPort = controllerPort;
    this.saslSsl = saslSsl;
    this.process = new LocalProcess(this.home, "broker");
  }

  /** The plain listener's bootstrap address. */
  @Override
  public String name() {
    return "the local Kafka broker";
  }

  @Override
  public String address() {
    return bootstrapServers();
  }

  @Override
  public String howToUse() {
    return "(the pipelines' default --bootstrapServers)";
  }

  @Override
  public String whatStopKeeps() {
    return "; its topics and records are kept (reset wipes them)";
  }

  public String bootstrapServers() {
    return "localhost:" + port;
  }

  /** The SASL_SSL listener's bootstrap address, if configured. */
  public Optional<String> saslSslBootstrapServers() {
    return saslSsl == null ? Optional.empty() : Optional.of("localhost:" + saslSsl.port);
  }

  /** PKCS12 trust store holding the broker's self-signed certificate (SASL_SSL only). */
  public Path truststore() {
    return home.resolve("tls/truststore.p12");
  }

  /** The trust store's password: not a secret, it only protects the integrity of a public certificate. */
  public String truststorePassword() {
    return "ehbeam-truststore";
  }

  @Override
  public Path home() {
    return home;
  }

  public Path logFile() {
    return process.logFile();
  }

  /** A free port on the loopback interface (for tests that start their own broker). */
  public static int freePort() {
    return LocalProcess.freePort();
  }

  /** The broker's process, if it is running. */
  public Optional<ProcessHandle> process() {
    return process.process();
  }

  @Override
  public boolean isRunning() {
    return process().isPresent() && LocalProcess.answers(port);
  }

  /**
   * Starts the broker unless it runs already, and waits until it accepts clients.
   *
   * @param stopWithThisJvm true to stop the broker when this JVM exits (tests); false to leave it
   *     running (the {@code ./run local-kafka start} command)
   */
  @Override
  public synchronized void start(boolean stopWithThisJvm) {
    if (isRunning()) {
      return;
    }
    if (process().isPresent()) {
      // Started but not answering yet (another command is starting it): just wait.
      awaitReady(Instant.now());
      return;
    }
    if (LocalProcess.answers(port)) {
      throw new IllegalStateException(
          "Port " + port + " is taken by another program; stop it or choose another port");
    }
    try {
      Files.createDirectories(home);
      Path config = writeConfig();
      if (!Files.exists(home.resolve("data/meta.properties"))) {
        format(config);
      }
      List<String> command = new ArrayList<>();
      command.add(LocalProcess.javaBin());
      command.add("-Xms256m");
      command.add("-Xmx1g");
      command.add("-Dlog4j.configuration=" + home.resolve("log4j.properties").toUri());
      command.add("-Dkafka.logs.dir=" + home.resolve("logs"));
      command.add("-cp");
      command.add(brokerClasspath());
      command.add("kafka.Kafka");
      command.add(config.toString());
      Instant started = Instant.now();
      process.start(command, Map.of(), stopWithThisJvm);
      awaitReady(started);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the local broker in " + home, e);
    }
  }

  /** Stops the broker (a clean shutdown first, so that restarting keeps every record). */
  @Override
  public synchronized void stop() {
    process.stop(STOP_TIMEOUT);
  }

  /** Stops the broker and deletes every topic and record. */
  public synchronized void reset() {
    stop();
    if (Files.exists(home)) {
      try (Stream<Path> paths = Files.walk(home)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private void awaitReady(Instant started) {
    process.awaitReady("The local broker", () -> process.logContains(READY_LINE) && LocalProcess.answers(port),
        started, START_TIMEOUT);
  }

  /** The last lines of the broker's log. */
  public String tail(int lines) {
    return process.tail(lines);
  }

  private Path writeConfig() throws IOException {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    p.setProperty("controller.quorum.voters", "1@localhost:" + controllerPort);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    String listeners = "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort;
    String advertised = "PLAINTEXT://localhost:" + port;
    String protocols = "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT";
    if (saslSsl != null) {
      listeners += ",SASL_SSL://localhost:" + saslSsl.port;
      advertised += ",SASL_SSL://localhost:" + saslSsl.port;
      protocols += ",SASL_SSL:SASL_SSL";
      String storePassword = makeCertificates();
      p.setProperty("sasl.enabled.mechanisms", "PLAIN");
      p.setProperty(
          "listener.name.sasl_ssl.plain.sasl.jaas.config",
          "org.apache.kafka.common.security.plain.PlainLoginModule required user_$ConnectionString=\""
              + saslSsl.password.replace("\\", "\\\\").replace("\"", "\\\"") + "\";");
      p.setProperty("listener.name.sasl_ssl.ssl.keystore.location", home.resolve("tls/broker.p12").toString());
      p.setProperty("listener.name.sasl_ssl.ssl.keystore.password", storePassword);
      p.setProperty("listener.name.sasl_ssl.ssl.key.password", storePassword);
      p.setProperty("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
    }
    p.setProperty("listeners", listeners);
    p.setProperty("advertised.listeners", advertised);
    p.setProperty("listener.security.protocol.map", protocols);
    p.setProperty("log.dirs", home.resolve("data").toString());
    p.setProperty("num.partitions", "2");
    // Event Hubs does not create a hub on first use; neither does this broker.
    p.setProperty("auto.create.topics.enable", "false");
    // Retention by size only: replayed readings carry their own (old) timestamps, and time-based
    // retention would delete a 2023 replay minutes after it was written. Event Hubs retains by
    // enqueue time, so there the same replay stays for the hub's retention period.
    p.setProperty("log.retention.ms", "-1");
    p.setProperty("log.retention.bytes", Long.toString(2L * 1024 * 1024 * 1024));
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("offsets.topic.num.partitions", "4");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    Path config = home.resolve("server.properties");
    try (var out = Files.newBufferedWriter(config)) {
      p.store(out, "Written by ehbeam local-kafka; rewritten on every start");
    }
    Files.writeString(
        home.resolve("log4j.properties"),
        String.join(
            "\n",
            "log4j.rootLogger=INFO, stdout",
            "log4j.appender.stdout=org.apache.log4j.ConsoleAppender",
            "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout",
            "log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n",
            "log4j.logger.kafka.request.logger=WARN",
            "log4j.logger.state.change.logger=WARN",
            "log4j.logger.org.apache.kafka.coordinator=WARN",
            ""));
    return config;
  }

  private void format(Path config) throws IOException {
    // Kafka's own Uuid.randomUuid never starts with '-' (the tool would read it as a flag): neither do we.
    SecureRandom random = new SecureRandom();
    String clusterId;
    do {
      byte[] id = new byte[16];
      random.nextBytes(id);
      clusterId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    } while (clusterId.startsWith("-"));
    Process process =
        new ProcessBuilder(
                LocalProcess.javaBin(), "-cp", brokerClasspath(),
                "-Dlog4j.configuration=" + home.resolve("log4j.properties").toUri(),
                "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (process.waitFor() != 0) {
        throw new IllegalStateException("Formatting the local broker's storage failed:\n" + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while formatting the local broker's storage", e);
    }
  }

  /** A self-signed certificate for localhost and a trust store holding it, made once per home. */
  private String makeCertificates() throws IOException {
    Path tls = home.resolve("tls");
    Files.createDirectories(tls);
    String storePassword = "ehbeam-broker-store";
    Path keystore = tls.resolve("broker.p12");
    if (!Files.exists(keystore)) {
      keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048",
          "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "3650",
          "-storetype", "PKCS12", "-keystore", keystore.toString(),
          "-storepass", storePassword, "-keypass", storePassword);
      keytool("-exportcert", "-alias", "broker", "-rfc", "-keystore", keystore.toString(),
          "-storepass", storePassword, "-file", tls.resolve("broker.crt").toString());
      keytool("-importcert", "-noprompt", "-alias", "broker", "-file", tls.resolve("broker.crt").toString(),
          "-storetype", "PKCS12", "-keystore", truststore().toString(), "-storepass", truststorePassword());
    }
    return storePassword;
  }

  private static void keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (process.waitFor() != 0) {
        throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running keytool", e);
    }
  }

  /** The broker's classpath, resolved by Maven when this module was built. */
  static String brokerClasspath() {
    return LocalProcess.classpath(LocalKafka.class, "broker.classpath", "runners/local-kafka");
  }
}
