package io.ehbeam.pipelines.faults;

import io.ehbeam.localkafka.LocalKafka;
import io.ehbeam.pipelines.testing.ArchiveFaultScenario;
import io.ehbeam.pipelines.testing.HubFixture;
import io.ehbeam.pipelines.testing.JobLauncher;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The broker stops and starts again under a streaming archive (DirectRunner, its own JVM): the
 * archive goes on by itself, and every event is in the files exactly once. Its own broker.
 */
class ArchiveBrokerRestartTest {
  @Test
  void theArchiveGoesOnAfterTheBrokerRestartsAndHoldsEveryEventOnce() throws Exception {
    LocalKafka broker = new LocalKafka(Files.createTempDirectory("ehbeam-archive-broker"), LocalKafka.freePort(),
        LocalKafka.freePort(), null);
    broker.start(true);
    try {
      HubFixture hub = new HubFixture(KafkaEndpoint.plainKafka(broker.bootstrapServers(), null));
      ArchiveFaultScenario.run("archive-broker-restart", hub, ArchiveFaultScenario::inOwnJvm, () -> {
        broker.stop();
        broker.start(true);
      }, JobLauncher.IN_THIS_JVM);
    } finally {
      broker.reset();
    }
  }
}
