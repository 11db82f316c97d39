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
 * <p>It behaves like an event hub where Kafka can be configured to (see docs/event-hubs-vs-kafka.md):
 * records are stamped with the time the broker appended them ({@code LogAppendTime}, Event Hubs'
 * default; {@link TimestampType#CREATE_TIME} for plain-Kafka users), and a batch larger than Event
 * Hubs' 1,046,528-byte request limit is refused.
 *
 * <p>With a {@link Policy} it also listens as Event Hubs does: SASL mechanism PLAIN, user {@code
 * $ConnectionString}, a connection string of the policy as password (checked by {@link
 * io.ehbeam.localkafka.broker.ConnectionStringAuthenticator}); over plain TCP like Microsoft's Event
 * Hubs emulator ({@code UseDevelopmentEmulator=true}) and, for tests of the TLS path, over SASL_SSL
 * with a self-signed certificate made here with the JDK's keytool.
 */
public final class LocalKafka implements LocalServiceCommand.Service {
  private static final String READY_LINE = "Kafka Server started";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private final Path home;
  private final int port;
  private final int controllerPort;
  private final Policy policy;
  private final TimestampType timestampType;
  private final LocalProcess process;

  /** Event Hubs' largest accepted request; the broker refuses larger batches as the service does. */
  public static final int EVENT_HUBS_MAX_REQUEST_BYTES = 1_046_528;

  /** Which time a record carries: Event Hubs stamps the enqueue time unless a hub is set to CreateTime. */
  public enum TimestampType {
    APPEND_TIME("LogAppendTime"),
    CREATE_TIME("CreateTime");

    /** Kafka's name, for message.timestamp.type. */
    public final String kafkaName;

    TimestampType(String kafkaName) {
      this.kafkaName = kafkaName;
    }

    /** AppendTime, LogAppendTime or CreateTime, in any case. */
    public static TimestampType parse(String text) {
      String t = text.trim().toLowerCase(java.util.Locale.ROOT);
      if (t.equals("appendtime") || t.equals("logappendtime")) {
        return APPEND_TIME;
      }
      if (t.equals("createtime")) {
        return CREATE_TIME;
      }
      throw new IllegalArgumentException("--timestampType must be AppendTime or CreateTime, got '" + text + "'");
    }
  }

  /**
   * A shared access policy the Event-Hubs-like listeners accept, and their ports (0: no such
   * listener): {@code emulatorPort} SASL_PLAINTEXT, as Microsoft's Event Hubs emulator serves Kafka;
   * {@code saslSslPort} SASL_SSL, as Event Hubs itself does on port 9093.
   */
  public record Policy(String keyName, String key, int emulatorPort, int saslSslPort) {
    /** A connection string of this policy for the emulator-style listener, as the Event Hubs emulator's look. */
    public String emulatorConnectionString() {
      return "Endpoint=sb://localhost:" + emulatorPort + ";SharedAccessKeyName=" + keyName + ";SharedAccessKey=" + key
          + ";UseDevelopmentEmulator=true";
    }
  }

  public LocalKafka(Path home, int port, int controllerPort, Policy policy) {
    this(home, port, controllerPort, policy, TimestampType.APPEND_TIME);
  }

  private LocalKafka(Path home, int port, int controllerPort, Policy policy, TimestampType timestampType) {
    this.home = home.toAbsolutePath();
    this.port = port;
    this.controllerPort = controllerPort;
    this.policy = policy;
    this.timestampType = timestampType;
    this.process = new LocalProcess(this.home, "broker");
  }

  /** The same broker stamping records with {@code type} (applies at its next start). */
  public LocalKafka withTimestampType(TimestampType type) {
    return new LocalKafka(home, port, controllerPort, policy, type);
  }

  public TimestampType timestampType() {
    return timestampType;
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
    String stamps = timestampType == TimestampType.APPEND_TIME ? "stamping enqueue time as Event Hubs does" : "keeping producers' timestamps (CreateTime)";
    return "(the pipelines' default --bootstrapServers), " + stamps
        + (policy == null || policy.emulatorPort == 0 ? "" : "; Event Hubs-style SASL on localhost:" + policy.emulatorPort
            + " (./run local-kafka connection-string)");
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
    return policy == null || policy.saslSslPort == 0 ? Optional.empty() : Optional.of("localhost:" + policy.saslSslPort);
  }

  /** The policy the Event-Hubs-like listeners accept, if any. */
  public Optional<Policy> policy() {
    return Optional.ofNullable(policy);
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
    if (policy != null) {
      p.setProperty("sasl.enabled.mechanisms", "PLAIN");
    }
    if (policy != null && policy.emulatorPort != 0) {
      listeners += ",SASL_PLAINTEXT://localhost:" + policy.emulatorPort;
      advertised += ",SASL_PLAINTEXT://localhost:" + policy.emulatorPort;
      protocols += ",SASL_PLAINTEXT:SASL_PLAINTEXT";
      authenticateWithPolicy(p, "sasl_plaintext");
    }
    if (policy != null && policy.saslSslPort != 0) {
      listeners += ",SASL_SSL://localhost:" + policy.saslSslPort;
      advertised += ",SASL_SSL://localhost:" + policy.saslSslPort;
      protocols += ",SASL_SSL:SASL_SSL";
      String storePassword = makeCertificates();
      authenticateWithPolicy(p, "sasl_ssl");
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
    // As Event Hubs: the enqueue time on every record unless a hub is set otherwise, and no request
    // larger than the service takes.
    p.setProperty("log.message.timestamp.type", timestampType.kafkaName);
    p.setProperty("message.max.bytes", Integer.toString(EVENT_HUBS_MAX_REQUEST_BYTES));
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

  /** SASL PLAIN on {@code listener} checked against the policy, as Event Hubs checks a connection string. */
  private void authenticateWithPolicy(Properties p, String listener) {
    p.setProperty("listener.name." + listener + ".plain.sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required keyName=\"" + jaasEscaped(policy.keyName)
            + "\" key=\"" + jaasEscaped(policy.key) + "\";");
    p.setProperty("listener.name." + listener + ".plain.sasl.server.callback.handler.class",
        // By name: the class needs Kafka's, which only the broker's JVM has.
        "io.ehbeam.localkafka.broker.ConnectionStringAuthenticator");
  }

  private static String jaasEscaped(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
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
    // Kafka 4.x as Maven resolved it, plus this module's own classes for the broker-side authenticator.
    String own;
    try {
      own = Path.of(LocalKafka.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return LocalProcess.classpath(LocalKafka.class, "broker.classpath", "runners/local-kafka")
        + java.io.File.pathSeparator + own;
  }
}
