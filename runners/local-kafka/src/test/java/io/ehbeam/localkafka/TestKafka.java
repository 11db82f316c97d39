package io.ehbeam.localkafka;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The broker tests share: one per test run. {@code ./run test} starts it before Maven and stops it
 * after ({@code TestKafka start|stop <home>}), and hands its home to every test JVM as the system
 * property {@code ehbeam.testKafkaHome}. A test JVM started without it (an IDE, a single module's
 * {@code mvn test}) starts a private broker, stopped when that JVM exits.
 *
 * <p>It runs with the local broker's Event Hubs settings (append-time stamps, Event Hubs' request
 * limit), so the whole suite runs under Event Hubs semantics. Besides the plain listener it has the
 * two Event-Hubs-like ones: SASL_SSL with a certificate made at start ({@link #connectionString()})
 * and SASL_PLAINTEXT as the Event Hubs emulator ({@link #emulatorConnectionString()}).
 */
public final class TestKafka {
  public static final String HOME_PROPERTY = "ehbeam.testKafkaHome";
  private static final String DESCRIPTOR = "test-broker.properties";
  private static TestKafka shared;

  private final LocalKafka broker;

  private TestKafka(LocalKafka broker) {
    this.broker = broker;
  }

  /** The run's broker, started on first use. */
  public static synchronized TestKafka get() {
    if (shared == null) {
      String home = System.getProperty(HOME_PROPERTY);
      if (home != null && !home.isBlank()) {
        shared = load(Path.of(home));
        if (!shared.broker.isRunning()) {
          throw new IllegalStateException("The test broker in " + home + " is not running");
        }
      } else {
        try {
          Path dir = Files.createTempDirectory("ehbeam-test-kafka");
          shared = create(dir);
          shared.broker.start(true);
          Runtime.getRuntime().addShutdownHook(new Thread(() -> shared.broker.reset()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return shared;
  }

  /** Plain listener, host:port. */
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** The SASL_SSL listener, host:port. */
  public String saslSslBootstrapServers() {
    return broker.saslSslBootstrapServers().orElseThrow();
  }

  /** A connection string of the broker's policy, for the SASL_SSL listener (with the trust store). */
  public String connectionString() {
    LocalKafka.Policy policy = broker.policy().orElseThrow();
    return "Endpoint=sb://localhost/;SharedAccessKeyName=" + policy.keyName() + ";SharedAccessKey=" + policy.key();
  }

  /** A connection string in the Event Hubs emulator's form: it alone reaches the SASL_PLAINTEXT listener. */
  public String emulatorConnectionString() {
    return broker.policy().orElseThrow().emulatorConnectionString();
  }

  public Path truststore() {
    return broker.truststore();
  }

  public String truststorePassword() {
    return broker.truststorePassword();
  }

  public LocalKafka broker() {
    return broker;
  }

  private static TestKafka create(Path home) throws IOException {
    Files.createDirectories(home);
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Properties p = new Properties();
    p.setProperty("port", Integer.toString(LocalKafka.freePort()));
    p.setProperty("controllerPort", Integer.toString(LocalKafka.freePort()));
    p.setProperty("saslSslPort", Integer.toString(LocalKafka.freePort()));
    p.setProperty("emulatorPort", Integer.toString(LocalKafka.freePort()));
    p.setProperty("keyName", "test-policy");
    p.setProperty("key", HexFormat.of().formatHex(key));
    try (Writer out = Files.newBufferedWriter(home.resolve(DESCRIPTOR))) {
      p.store(out, "The shared test broker (test-only credentials)");
    }
    return load(home);
  }

  private static TestKafka load(Path home) {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(home.resolve(DESCRIPTOR))) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("No test broker in " + home, e);
    }
    LocalKafka broker =
        new LocalKafka(
            home,
            Integer.parseInt(p.getProperty("port")),
            Integer.parseInt(p.getProperty("controllerPort")),
            new LocalKafka.Policy(p.getProperty("keyName"), p.getProperty("key"),
                Integer.parseInt(p.getProperty("emulatorPort")), Integer.parseInt(p.getProperty("saslSslPort"))));
    return new TestKafka(broker);
  }

  /** {@code TestKafka start|stop <home>}, for {@code ./run test}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("Usage: TestKafka start|stop <home>");
      System.exit(2);
    }
    Path home = Path.of(args[1]);
    if (args[0].equals("start")) {
      TestKafka kafka = Files.exists(home.resolve(DESCRIPTOR)) ? load(home) : create(home);
      kafka.broker.start(false);
      System.out.println(kafka.bootstrapServers());
    } else {
      load(home).broker.reset();
    }
  }
}
