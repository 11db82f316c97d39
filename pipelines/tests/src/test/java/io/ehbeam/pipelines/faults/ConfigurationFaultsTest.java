package io.ehbeam.pipelines.faults;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.localkafka.TestKafka;
import io.ehbeam.pipelines.Main;
import io.ehbeam.pipelines.testing.CapturedOutput;
import io.ehbeam.pipelines.testing.HubFixture;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Configuration mistakes a user makes against Event Hubs, each against the real broker (its
 * Event-Hubs-shaped SASL_SSL listener where it matters): one clear "error:" line naming the
 * problem, a non-zero exit within 60 s, no stack trace (unless --verbose), and never a key.
 */
class ConfigurationFaultsTest {
  static TestKafka kafka;
  static String input;

  @BeforeAll
  static void writeInput() {
    kafka = TestKafka.get();
    HubFixture hub = HubFixture.plain();
    input = hub.newTopic("config-faults", 1);
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    records.add(new SimpleEntry<>("k", "{\"eventId\":\"1\"}".getBytes(UTF_8)));
    hub.write(input, records);
  }

  static List<String> trust() {
    return List.of(
        "--kafkaProperty=ssl.truststore.location=" + kafka.truststore(),
        "--kafkaProperty=ssl.truststore.type=PKCS12",
        "--kafkaProperty=ssl.truststore.password=" + kafka.truststorePassword());
  }

  static String key(String connectionString) {
    return connectionString.substring(connectionString.indexOf("SharedAccessKey=") + "SharedAccessKey=".length());
  }

  /** Runs the relay with the arguments and checks the shape of the failure; returns what it printed. */
  static CapturedOutput failsClearly(List<String> args, String... naming) {
    long start = System.nanoTime();
    CapturedOutput run = CapturedOutput.of(() -> Main.run(args.toArray(new String[0])));
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    assertThat(run.exitCode).as(run.err).isNotZero();
    assertThat(seconds).as("seconds to fail").isLessThan(60);
    assertThat(run.err.lines().filter(l -> l.startsWith("error: ")).count()).as(run.err).isEqualTo(1);
    String error = run.err.lines().filter(l -> l.startsWith("error: ")).findFirst().orElseThrow();
    assertThat(error).contains(naming);
    assertThat(run.err).as("no stack trace without --verbose").doesNotContain("\tat ");
    assertThat(run.all()).doesNotContain(key(kafka.connectionString()));
    return run;
  }

  static List<String> relay(String... args) {
    List<String> all = new ArrayList<>(List.of("relay", "--stopAtEnd=true"));
    all.addAll(List.of(args));
    return all;
  }

  @Test
  void aWrongSasKeyIsNamedAndNeverShown() {
    String wrong = "Endpoint=sb://localhost/;SharedAccessKeyName=test-policy;SharedAccessKey=WrongKey0123456789abcdef";
    List<String> args = relay("--bootstrapServers=" + kafka.saslSslBootstrapServers(),
        "--inputConnectionString=" + wrong + ";EntityPath=" + input,
        "--outputConnectionString=" + wrong + ";EntityPath=wrong-key-out");
    args.addAll(trust());
    CapturedOutput run = failsClearly(args, "authentication failed", kafka.saslSslBootstrapServers());
    assertThat(run.all()).doesNotContain("WrongKey0123456789abcdef");
  }

  @Test
  void aMissingTrustStoreIsNamedAsATlsProblem() {
    failsClearly(relay("--bootstrapServers=" + kafka.saslSslBootstrapServers(),
        "--inputConnectionString=" + kafka.connectionString(), "--inputTopic=" + input, "--outputTopic=unused"),
        "TLS handshake failed", "truststore");
  }

  @Test
  void anUnknownHostIsNamed() {
    failsClearly(relay("--inputConnectionString=Endpoint=sb://no-such-namespace.invalid/;SharedAccessKeyName=p;"
            + "SharedAccessKey=" + key(kafka.connectionString()), "--inputTopic=" + input, "--outputTopic=unused"),
        "cannot connect on no-such-namespace.invalid:9093");
  }

  @Test
  void aTopicThatDoesNotExistIsNamedAndVerboseShowsTheStackTrace() {
    List<String> args = relay("--bootstrapServers=" + kafka.saslSslBootstrapServers(),
        "--inputConnectionString=" + kafka.connectionString(), "--inputTopic=no-such-hub", "--outputTopic=unused");
    args.addAll(trust());
    failsClearly(args, "Input topic 'no-such-hub' does not exist");

    args.add("--verbose");
    CapturedOutput verbose = CapturedOutput.of(() -> Main.run(args.toArray(new String[0])));
    assertThat(verbose.exitCode).isNotZero();
    assertThat(verbose.err).contains("\tat ").doesNotContain(key(kafka.connectionString()));
  }
}
