package io.ehbeam.tools;

import io.ehbeam.localkafka.LocalKafka;
import io.ehbeam.localkafka.LocalKafkaCommand;
import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.transforms.connect.HubOptions;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.io.HubAdmin;
import io.ehbeam.transforms.model.DeviceEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code ./run demo}: the relay, end to end, on the laptop. Starts the local broker if needed, writes
 * sample device events (and a few malformed records) to {@code demo-input}, relays them to {@code
 * demo-output} on the chosen runner (DirectRunner by default) until the end of the input, and shows
 * counts in and out and a few enriched events. Each run relays the records it wrote itself: the
 * consumer group remembers where the last run stopped.
 */
public final class Demo {
  public static final String INPUT = "demo-input";
  public static final String OUTPUT = "demo-output";
  /** Records that are not events, each for a different reason; they must land in the dead-letter topic. */
  static final List<byte[]> MALFORMED =
      List.of(
          "this is not json".getBytes(StandardCharsets.UTF_8),
          "[1, 2, 3]".getBytes(StandardCharsets.UTF_8),
          "{\"eventId\": \"cut-short\"".getBytes(StandardCharsets.UTF_8),
          new byte[0]);

  /** Options of the demo; Beam's options (--runner) pass through to the relay. */
  public interface Options extends HubOptions {
    @Description("How many sample device events to write and relay.")
    @Default.Integer(5000)
    int getEvents();

    void setEvents(int value);
  }

  private Demo() {}

  public static int run(String[] args) throws Exception {
    // The relay's own options (--runner, --flinkMaster, ...) are the runner jar's to read.
    Options options = PipelineOptionsFactory.fromArgs(args).withoutStrictParsing().as(Options.class);
    String module = RunnerJars.module(argument(args, "--runner=").orElse("direct"));
    String bootstrap = options.getBootstrapServers();
    if (HubOptions.LOCAL_BOOTSTRAP.equals(bootstrap)) {
      LocalKafka broker = LocalKafkaCommand.defaultBroker();
      if (!broker.isRunning()) {
        System.out.println("Starting the local Kafka broker (state in " + broker.home() + ") ...");
      }
      broker.start(false);
      bootstrap = broker.bootstrapServers();
    }
    KafkaEndpoint input = KafkaEndpoint.plainKafka(bootstrap, INPUT);
    try (HubAdmin admin = HubAdmin.connect(input)) {
      admin.ensureTopic(INPUT, options.getPartitions());
    }

    int events = options.getEvents();
    long runId = System.nanoTime();
    try (Producer<byte[], byte[]> producer = input.newProducer()) {
      for (int i = 0; i < events; i++) {
        DeviceEvent e = DeviceEvent.of(runId, i, 20, DeviceEvent.DEFAULT_DEVICE_PREFIX, Instant.now());
        producer.send(new ProducerRecord<>(INPUT, e.deviceId.getBytes(StandardCharsets.UTF_8), e.toJson()));
      }
      for (byte[] bad : MALFORMED) {
        producer.send(new ProducerRecord<>(INPUT, "demo-malformed".getBytes(StandardCharsets.UTF_8), bad));
      }
      producer.flush();
    }
    System.out.printf("Wrote %,d device events and %d malformed records to %s on %s.%n",
        events, MALFORMED.size(), INPUT, bootstrap);

    List<String> relay = RunnerJars.command(module);
    relay.add("relay");
    // The demo chooses the broker, topics and group; everything else (e.g. --runner) passes through.
    Arrays.stream(args).filter(a -> List.of("--events=", "--bootstrapServers=", "--inputTopic=", "--outputTopic=",
        "--consumerGroup=", "--stopAtEnd").stream().noneMatch(a::startsWith)).forEach(relay::add);
    relay.addAll(List.of("--bootstrapServers=" + bootstrap, "--inputTopic=" + INPUT,
        "--outputTopic=" + OUTPUT, "--consumerGroup=demo-relay-cg", "--stopAtEnd=true"));
    System.out.println("Relaying " + INPUT + " -> " + OUTPUT + " on " + RunnerJars.runnerOption(module) + " ...");
    RunnerJars.Finished finished = RunnerJars.runShowing(relay, System.out);
    Jobs.Outcome outcome = Jobs.Outcome.fromReport(finished.output()).orElseThrow(() ->
        new IllegalStateException("the relay ended (exit " + finished.exitCode() + ") without its closing report"));

    KafkaEndpoint output = input.withTopic(OUTPUT);
    System.out.println();
    System.out.printf("In: %,d records read. Out: %,d events written to %s, %,d records dead-lettered to %s.%n",
        outcome.counter("read"), outcome.counter("written"), OUTPUT,
        outcome.counter("deadLettered"), OUTPUT + "-deadletter");
    System.out.println("\nThe last enriched events (note enqueuedAt and processedAt at the end):");
    Peek.print(output, 1, true, System.out);
    System.out.println("\nThe last dead letters, with their reasons:");
    Peek.print(output.withTopic(OUTPUT + "-deadletter"), MALFORMED.size(), true, System.out);
    System.out.println("\nSee more with: ./run peek --topic=" + OUTPUT + " --max=5   and   ./run topics");
    boolean ok = finished.exitCode() == 0
        && outcome.state() == org.apache.beam.sdk.PipelineResult.State.DONE
        && outcome.counter("written") == events
        && outcome.counter("deadLettered") == MALFORMED.size();
    return ok ? 0 : 1;
  }

  private static java.util.Optional<String> argument(String[] args, String prefix) {
    return Arrays.stream(args).filter(a -> a.startsWith(prefix)).map(a -> a.substring(prefix.length())).reduce((a, b) -> b);
  }
}
