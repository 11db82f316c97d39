package io.ehbeam.pipelines.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.localkafka.LocalKafka;
import io.ehbeam.pipelines.testing.DeviceMinute;
import io.ehbeam.pipelines.testing.HubFixture;
import io.ehbeam.pipelines.testing.OwnJvm;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The broker stops and starts again under the streaming aggregate (devices preset, DirectRunner,
 * its own JVM): its state survives, and the minute's statistics, updated by readings that arrive
 * after the restart, are those of every reading ({@link DeviceMinute}). Its own broker.
 */
class AggregateBrokerRestartTest {
  private static final int PARTITIONS = 3;

  @Test
  void theAggregateKeepsItsStateThroughABrokerRestart() throws Exception {
    LocalKafka broker = new LocalKafka(Files.createTempDirectory("ehbeam-aggregate-broker"), LocalKafka.freePort(),
        LocalKafka.freePort(), null);
    broker.start(true);
    try {
      HubFixture hub = new HubFixture(KafkaEndpoint.plainKafka(broker.bootstrapServers(), null));
      String input = hub.newTopic("aggregate-restart-in", PARTITIONS);
      String output = input.replace("-in-", "-out-");
      Instant minute = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MINUTES);
      Map<String, double[]> expected = new HashMap<>();
      DeviceMinute.write(hub, input, minute, 0, 300, expected);

      Path log = Files.createTempFile("ehbeam-aggregate", ".log");
      Process job = OwnJvm.start("aggregate", List.of("--preset=devices", "--bootstrapServers=" + broker.bootstrapServers(),
          "--inputTopic=" + input, "--outputTopic=" + output, "--consumerGroup=" + input + "-cg", "--console=false"), log);
      try {
        Runnable running = () -> assertThat(job.isAlive()).as("the aggregate runs; its log: %s", log).isTrue();
        DeviceMinute.awaitRows(hub, output, expected, running);
        broker.stop();
        broker.start(true);
        DeviceMinute.write(hub, input, minute, 300, 500, expected);
        DeviceMinute.awaitRows(hub, output, expected, running);
      } finally {
        job.destroyForcibly().waitFor();
      }
      DeviceMinute.assertRows(hub, output, expected);
      System.out.println(DeviceMinute.report("aggregate broker restart", 500, hub, output));
    } finally {
      broker.reset();
    }
  }

}
