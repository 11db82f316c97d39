package io.ehbeam.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ehbeam.localkafka.TestKafka;
import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.pipelines.testing.HubFixture;
import io.ehbeam.pipelines.testing.JobLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The jobs against the local hub as a user reaches it: through its Event-Hubs-emulator-style
 * listener with a connection string and nothing else (no --bootstrapServers, topics from EntityPath
 * where a string names one), as {@code ./run local-kafka connection-string} prints it.
 */
class LocalEventHubTest {
  private static final JobLauncher JOBS = JobLauncher.IN_THIS_JVM;

  @Test
  void everyJobRunsWithTheConnectionStringAlone() throws Exception {
    String hub = TestKafka.get().emulatorConnectionString();
    assertThat(hub).contains("UseDevelopmentEmulator=true").doesNotContain(TestKafka.get().bootstrapServers());
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String readings = hub + ";EntityPath=readings-" + suffix;

    Jobs.Outcome produced = JOBS.run("produce-temperatures", List.of("--outputConnectionString=" + readings));
    long written = produced.counter("written");
    assertThat(written).isPositive();

    // The string as a Kubernetes Secret or a node's file would hold it: each Kafka client reads it there.
    Path secrets = Files.createTempDirectory("ehbeam-local-hub-secrets-");
    Files.writeString(secrets.resolve("eventhubs.properties"), "readings=" + readings + "\n");
    Files.writeString(secrets.resolve("readings"), readings);
    Jobs.Outcome aggregated = JOBS.run("aggregate", List.of(
        "--inputConnectionString=${file:" + secrets.resolve("eventhubs.properties") + ":readings}",
        "--stopAtEnd=true", "--console=false"));
    assertThat(aggregated.counter("aggregated")).isEqualTo(written);

    Jobs.Outcome relayed = JOBS.run("relay", List.of("--inputConnectionString=" + readings,
        "--outputConnectionString=" + hub + ";EntityPath=relayed-" + suffix, "--stopAtEnd=true"));
    assertThat(relayed.counter("written")).isEqualTo(written);

    Path files = Files.createTempDirectory("ehbeam-local-hub-");
    Jobs.Outcome archived = JOBS.run("archive", List.of("--inputConnectionString=${dir:" + secrets + ":readings}",
        "--stopAtEnd=true", "--outputDirectory=" + files));
    assertThat(archived.counter("archived")).isEqualTo(written);
    try (Stream<Path> all = Files.walk(files)) {
      long lines = all.filter(f -> f.toString().endsWith(".jsonl")).mapToLong(f -> {
        try {
          return Files.readAllLines(f).size();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).sum();
      assertThat(lines).isEqualTo(written);
    }

    // What the relay wrote is on the hub, read back over the plain listener.
    assertThat(HubFixture.plain().readAll("relayed-" + suffix)).hasSize((int) written);
  }

  @Test
  void aStringWithAnotherKeyIsRefusedWithoutShowingIt() {
    String good = TestKafka.get().emulatorConnectionString();
    String wrongKey = "d3Jvbmcta2V5LW5vdC10aGUtcG9saWN5cw==";
    String wrong = good.replaceAll("SharedAccessKey=[^;]*", "SharedAccessKey=" + wrongKey);
    assertThat(wrong).isNotEqualTo(good);
    assertThatThrownBy(() -> JOBS.run("relay", List.of("--inputConnectionString=" + wrong + ";EntityPath=anything",
        "--outputTopic=nowhere", "--stopAtEnd=true")))
        .hasMessageContaining("authentication failed")
        .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain(wrongKey));
  }
}
