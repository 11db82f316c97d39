package io.ehbeam.pipelines.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.localkafka.TestKafka;
import io.ehbeam.pipelines.common.ProjectFiles;
import io.ehbeam.transforms.model.DeviceEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every command that talks to a hub, run with a connection string over the broker's
 * Event-Hubs-shaped SASL_SSL listener: with the right key each succeeds (so the key was used),
 * with a recognisable wrong one each fails; neither key appears in what it printed or in any file
 * it wrote. (Runner UIs and cluster logs: FlinkClusterIT and SparkClusterIT.) A subclass names
 * the commands of one entry point (the jobs', the tools') and how to run one.
 */
public abstract class SecretsEverywhere {
  static final String FAKE_KEY = "LeakProbeKey0123456789LeakProbeKey0123456789AB=";
  static TestKafka kafka;
  static HubFixture hub;
  protected static String devices;
  protected static Path files;

  @BeforeAll
  static void prepare() throws IOException {
    kafka = TestKafka.get();
    hub = HubFixture.plain();
    devices = hub.newTopic("secrets-devices", 2);
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      DeviceEvent e = DeviceEvent.of(11, i, 5, DeviceEvent.DEFAULT_DEVICE_PREFIX, Instant.parse("2023-03-01T10:00:00Z").plusSeconds(i));
      records.add(new SimpleEntry<>(e.deviceId, e.toJson()));
    }
    hub.write(devices, records);
    files = Files.createTempDirectory("ehbeam-secrets-");
  }

  static String key(String connectionString) {
    return connectionString.substring(connectionString.indexOf("SharedAccessKey=") + "SharedAccessKey=".length());
  }

  /** Each command with its own arguments; the connection string and TLS trust are added. */
  protected abstract Map<String, List<String>> commands(String suffix);

  /** Runs a command line of the entry point; returns its exit code. */
  protected abstract int run(String[] args);

  /** How many files the commands write at least (each is checked for the key). */
  protected abstract int filesWritten();

  CapturedOutput run(String command, List<String> args, String connectionString) {
    List<String> all = new ArrayList<>(List.of(command, "--bootstrapServers=" + kafka.saslSslBootstrapServers(),
        "--inputConnectionString=" + connectionString, "--outputConnectionString=" + connectionString,
        "--kafkaProperty=ssl.truststore.location=" + kafka.truststore(),
        "--kafkaProperty=ssl.truststore.type=PKCS12",
        "--kafkaProperty=ssl.truststore.password=" + kafka.truststorePassword()));
    all.addAll(args);
    return CapturedOutput.of(() -> run(all.toArray(new String[0])));
  }

  @Test
  protected void withTheRightKeyEveryCommandWorksAndShowsNoKey() throws IOException {
    String secret = key(kafka.connectionString());
    commands("ok").forEach((command, args) -> {
      CapturedOutput out = run(command, args, kafka.connectionString());
      assertThat(out.exitCode).as("%s succeeded:%n%s", command, out.err).isZero();
      assertThat(out.all()).as(command).doesNotContain(secret).doesNotContain("SharedAccessKey=");
    });
    assertThat(assertNoFileHolds(secret)).as("files the commands wrote").isGreaterThanOrEqualTo(filesWritten());
  }

  @Test
  protected void withAWrongKeyEveryCommandFailsAndShowsNoKey() throws IOException {
    String wrong = "Endpoint=sb://localhost/;SharedAccessKeyName=leak-probe;SharedAccessKey=" + FAKE_KEY;
    commands("wrong").forEach((command, args) -> {
      CapturedOutput out = run(command, args, wrong);
      assertThat(out.exitCode).as("%s failed:%n%s", command, out.err).isNotZero();
      assertThat(out.err).as(command).contains("error: ");
      assertThat(out.all()).as(command).doesNotContain(FAKE_KEY).doesNotContain("LeakProbeKey");
    });
    assertNoFileHolds("LeakProbeKey");
  }

  /** @return how many files were read */
  static int assertNoFileHolds(String secret) throws IOException {
    int read = 0;
    try (Stream<Path> all = Files.walk(files)) {
      for (Path f : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
        assertThat(SecretSearch.readable(f)).as("%s holds the key", f).doesNotContain(secret);
        read++;
      }
    }
    return read;
  }
}
