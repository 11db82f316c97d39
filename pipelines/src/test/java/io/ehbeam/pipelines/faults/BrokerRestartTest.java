package io.ehbeam.pipelines.faults;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ehbeam.localkafka.LocalKafka;
import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.pipelines.relay.RelayPipeline;
import io.ehbeam.pipelines.testing.HubFixture;
import io.ehbeam.transforms.connect.Hubs;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away under a running relay (streaming, DirectRunner) and comes back: the relay
 * resumes on its own, and every event written before, during the outage's aftermath and after is
 * in the output: at least once, duplicates counted. Its own broker (the shared one must not stop).
 */
class BrokerRestartTest {
  static List<Map.Entry<String, byte[]>> events(int from, int to) {
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    for (int i = from; i < to; i++) {
      records.add(new SimpleEntry<>("device-" + (i % 3), ("{\"eventId\":\"" + i + "\"}").getBytes(UTF_8)));
    }
    return records;
  }

  static Map<String, Integer> relayed(HubFixture hub, String output) {
    Map<String, Integer> ids = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : hub.readAll(output)) {
      String value = new String(r.value(), UTF_8);
      ids.merge(value.substring(value.indexOf(":\"") + 2, value.indexOf("\",")), 1, Integer::sum);
    }
    return ids;
  }

  @Test
  void theRelayResumesAfterTheBrokerRestartsAndLosesNothing() throws Exception {
    Path home = Files.createTempDirectory("ehbeam-restart-broker");
    LocalKafka broker = new LocalKafka(home, LocalKafka.freePort(), LocalKafka.freePort(), null);
    broker.start(true);
    try {
      HubFixture hub = new HubFixture(KafkaEndpoint.plainKafka(broker.bootstrapServers(), null));
      String input = hub.newTopic("restart-in", 2);
      String output = input.replace("-in-", "-out-");
      hub.write(input, events(0, 500));

      RelayPipeline.Options options = PipelineOptionsFactory.fromArgs(
              "--bootstrapServers=" + broker.bootstrapServers(), "--inputTopic=" + input, "--outputTopic=" + output,
              "--consumerGroup=" + input + "-cg", "--blockOnRun=false")
          .as(RelayPipeline.Options.class);
      Hubs hubs = Hubs.resolve(options, RelayPipeline.DEFAULT_CONSUMER_GROUP);
      Jobs.prepareTopics(options, hubs.input(), hubs.output(), hubs.deadLetter(options));
      Pipeline pipeline = Pipeline.create(options);
      RelayPipeline.build(pipeline, options, hubs, hubs.deadLetter(options), null);
      PipelineResult result = pipeline.run();
      try {
        await().atMost(Duration.ofSeconds(90)).until(() -> relayed(hub, output).size() >= 500);
        broker.stop();
        // The relay runs on without a broker for a while (its clients retry), then it is back.
        await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> result.getState() == PipelineResult.State.RUNNING);
        broker.start(true);
        hub.write(input, events(500, 1000));
        await().atMost(Duration.ofSeconds(180)).until(() -> relayed(hub, output).size() >= 1000);
        assertThat(result.getState()).isEqualTo(PipelineResult.State.RUNNING);
      } finally {
        result.cancel();
      }
      Map<String, Integer> ids = relayed(hub, output);
      assertThat(ids).hasSize(1000);
      long duplicates = ids.values().stream().mapToLong(n -> n - 1).sum();
      System.out.printf("broker restart: in=1000 out=%d distinct=%d duplicates=%d lost=%d%n",
          hub.readAll(output).size(), ids.size(), duplicates, 1000 - ids.size());
    } finally {
      broker.reset();
    }
  }

  /**
   * The output hub is unreachable for a while (its broker stopped) while the input keeps
   * receiving: the relay waits (its producer retries within delivery.timeout.ms, 120 s) and
   * delivers everything once the output is back.
   */
  @Test
  void theRelayWaitsForAnUnreachableOutputAndDeliversEverything() throws Exception {
    Path home = Files.createTempDirectory("ehbeam-output-broker");
    LocalKafka outputBroker = new LocalKafka(home, LocalKafka.freePort(), LocalKafka.freePort(), null);
    outputBroker.start(true);
    try {
      HubFixture in = HubFixture.plain();
      HubFixture out = new HubFixture(KafkaEndpoint.plainKafka(outputBroker.bootstrapServers(), null));
      String input = in.newTopic("unreachable-in", 2);
      String output = out.newTopic("unreachable-out", 2);
      in.write(input, events(0, 300));

      RelayPipeline.Options options = PipelineOptionsFactory.fromArgs(
              "--bootstrapServers=" + in.bootstrapServers(), "--inputTopic=" + input, "--outputTopic=" + output,
              "--kafkaProperty=producer.bootstrap.servers=" + outputBroker.bootstrapServers(),
              "--deadLetterTopic=" + output + "-dl", "--consumerGroup=" + input + "-cg", "--blockOnRun=false")
          .as(RelayPipeline.Options.class);
      Hubs hubs = Hubs.resolve(options, RelayPipeline.DEFAULT_CONSUMER_GROUP);
      Jobs.prepareTopics(options, hubs.input(), hubs.output(), hubs.deadLetter(options));
      Pipeline pipeline = Pipeline.create(options);
      RelayPipeline.build(pipeline, options, hubs, hubs.deadLetter(options), null);
      PipelineResult result = pipeline.run();
      try {
        await().atMost(Duration.ofSeconds(90)).until(() -> relayed(out, output).size() >= 300);
        outputBroker.stop();
        in.write(input, events(300, 600));
        // Input flows while the output is gone: the job must neither fail nor drop the events.
        await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> result.getState() == PipelineResult.State.RUNNING);
        outputBroker.start(true);
        await().atMost(Duration.ofSeconds(180)).until(() -> relayed(out, output).size() >= 600);
        assertThat(result.getState()).isEqualTo(PipelineResult.State.RUNNING);
      } finally {
        result.cancel();
      }
      Map<String, Integer> ids = relayed(out, output);
      assertThat(ids).hasSize(600);
      System.out.printf("output unreachable: in=600 out=%d distinct=%d duplicates=%d lost=%d%n",
          out.readAll(output).size(), ids.size(), ids.values().stream().mapToLong(n -> n - 1).sum(), 600 - ids.size());
    } finally {
      outputBroker.reset();
    }
  }
}
