package io.ehbeam.pipelines.relay;

import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.pipelines.common.Launcher;
import io.ehbeam.pipelines.common.ReadOptions;
import io.ehbeam.transforms.connect.Hubs;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.deadletter.DeadLetter;
import io.ehbeam.transforms.deadletter.WriteDeadLetters;
import io.ehbeam.transforms.io.WriteToHub;
import io.ehbeam.transforms.relay.DeduplicateEvents;
import io.ehbeam.transforms.relay.StampEvents;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The relay (the streaming-at-scale sample's job): reads JSON events from one event hub and writes them to another,
 * adding {@code enqueuedAt} (when Event Hubs received the event: the record's broker timestamp) and
 * {@code processedAt} (when this job handled it). Everything else, the record key (the device id)
 * included, passes through byte for byte.
 *
 * <pre>
 *   ReadInput ─▶ StampEvents ─▶ [Deduplicate] ─▶ WriteOutput
 *                     └──── dead letters ──────▶ WriteDeadLetters
 * </pre>
 *
 * <p>Records that are not a JSON object, or too large for the output once stamped, go to the
 * dead-letter topic with the reason and where they came from. {@code --dedup} drops repeated
 * {@code eventId}s per device. Run: {@code ./run relay --inputTopic=in --outputTopic=out}.
 */
public final class RelayPipeline implements Launcher.Job<RelayPipeline.Options> {
  public static final String DEFAULT_CONSUMER_GROUP = "relay-cg";

  /** Options of the relay. */
  public interface Options extends ReadOptions {
    @Description("Drop events whose eventId was already seen for the same key (device).")
    @Default.Boolean(false)
    boolean getDedup();

    void setDedup(boolean value);

    @Description("How many recent eventIds per key --dedup remembers (the streaming-at-scale sample: 100).")
    @Default.Integer(100)
    int getDedupHistory();

    void setDedupHistory(int value);

    @Description("Write each event (and dead letter) exactly once, in Kafka transactions that commit with each"
        + " checkpoint. FlinkRunner with --checkpointingInterval only; the output hub must accept transactions"
        + " (Event Hubs Premium or Dedicated). Consumers see the events once they read committed data, at the"
        + " next checkpoint.")
    @Default.Boolean(false)
    boolean getExactlyOnce();

    void setExactlyOnce(boolean value);

    @Description("With --exactlyOnce: the group under which the writer keeps its position in the output and"
        + " dead-letter hubs (default: the consumer group + '-eos'). It belongs to one job and its restores:"
        + " a new job (not restored from a checkpoint or savepoint) needs a new one.")
    String getTransactionGroup();

    void setTransactionGroup(String value);
  }

  /** The relay, as the launcher runs it. */
  public static final RelayPipeline JOB = new RelayPipeline();

  private RelayPipeline() {}

  /** Checks the hubs, builds the relay and runs it to its end. */
  public static Jobs.Outcome run(Options options) {
    return Launcher.run(JOB, options);
  }

  @Override
  public String defaultConsumerGroup() {
    return DEFAULT_CONSUMER_GROUP;
  }

  @Override
  public Launcher.Endpoints endpoints(Options options, Hubs hubs) {
    return Launcher.Endpoints.of(hubs.input(), hubs.output(), hubs.deadLetter(options));
  }

  @Override
  public Launcher.Outputs build(Pipeline pipeline, Options options, Launcher.Context context) {
    KafkaEndpoint output = context.endpoints().output();
    PCollectionTuple stamped =
        pipeline
            .apply("ReadInput", context.read(options))
            .apply("StampEvents", new StampEvents(output.maxEventBytes()));

    PCollection<KV<byte[], byte[]>> events = stamped.get(StampEvents.EVENTS);
    if (options.getDedup()) {
      events = events.apply("Deduplicate", new DeduplicateEvents(options.getDedupHistory()));
    }
    events.apply("WriteOutput", WriteToHub.of(output, delivery(options, context, "output")));
    PCollection<DeadLetter> deadLetters = stamped.get(StampEvents.DEAD_LETTERS);
    deadLetters.apply("WriteDeadLetters",
        new WriteDeadLetters(context.endpoints().deadLetters(), delivery(options, context, "deadletters")));
    return new Launcher.Outputs(events, deadLetters);
  }

  /** At least once, or exactly once under the transaction group of this job and sink. */
  static WriteToHub.Delivery delivery(Options options, Launcher.Context context, String sink) {
    if (!options.getExactlyOnce()) {
      return WriteToHub.Delivery.AT_LEAST_ONCE;
    }
    String group = options.getTransactionGroup() != null
        ? options.getTransactionGroup() : context.hubs().consumerGroup() + "-eos";
    return WriteToHub.Delivery.exactlyOnce(group + "-" + sink);
  }

  @Override
  public String describe(Options options, Launcher.Context context) {
    return options.getExactlyOnce()
        ? "exactly once: events become visible to read_committed consumers at each checkpoint; transaction group "
            + delivery(options, context, "output").transactionGroup()
        : null;
  }
}
