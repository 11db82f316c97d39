package io.ehbeam.pipelines.relay;

import io.ehbeam.pipelines.common.CommitOffsets;
import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.pipelines.common.Launcher;
import io.ehbeam.pipelines.common.ReadOptions;
import io.ehbeam.pipelines.common.RunnerDefaults;
import io.ehbeam.transforms.connect.Hubs;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.deadletter.DeadLetter;
import io.ehbeam.transforms.deadletter.WriteDeadLetters;
import io.ehbeam.transforms.io.WriteThenCommit;
import io.ehbeam.transforms.io.WriteToHub;
import io.ehbeam.transforms.relay.DeduplicateEvents;
import io.ehbeam.transforms.relay.StampEvents;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.kafka.clients.producer.ProducerRecord;

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
 * <p>At least once without {@code --dedup} (the default), events and dead letters share one output
 * and one writer instead ({@link #buildRouted}).
 *
 * <p>On Spark the group moves only once events are written ({@code --commitOffsets=AFTER_WRITTEN},
 * {@link #buildCommittingAfterWrites}).
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

    @Description("When a streaming relay moves its consumer group: WHEN_CHECKPOINTED (when the runner finalizes"
        + " a checkpoint) or AFTER_WRITTEN (at the end of each bundle, once the output hub has acknowledged its"
        + " events; a restart starts from the group). Default: AFTER_WRITTEN on Spark, whose micro-batches"
        + " finalize a read before its events are written and whose restore from --checkpointDir drops the"
        + " micro-batch a kill interrupted (each run then keeps its Spark checkpoints in a folder of its own"
        + " under --checkpointDir); WHEN_CHECKPOINTED elsewhere. AFTER_WRITTEN keeps input order, so it does not"
        + " go with --dedup or --exactlyOnce.")
    @Default.InstanceFactory(RunnerDefaults.RelayCommitByRunner.class)
    CommitOffsets getCommitOffsets();

    void setCommitOffsets(CommitOffsets value);
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
    if (commitsAfterWriting(options, context)) {
      return buildCommittingAfterWrites(pipeline, options, context);
    }
    if (!options.getDedup() && !options.getExactlyOnce() && sameNamespace(output, context.endpoints().deadLetters())) {
      return buildRouted(pipeline, options, context);
    }
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

  /**
   * At least once without {@code --dedup}, the common case and the fastest: events and dead letters
   * leave the stamping step on one output, as the records their hubs get, and one producer writes
   * each to its topic. With a single output the steps chain on every runner (two outputs are split
   * apart downstream: Flink's batch mode serializes every element to do so, Spark caches them all).
   *
   * <pre>
   *   ReadInput ─▶ StampEvents (events and dead letters, as records) ─▶ WriteOutputAndDeadLetters
   * </pre>
   */
  private static Launcher.Outputs buildRouted(Pipeline pipeline, Options options, Launcher.Context context) {
    Launcher.Endpoints hubs = context.endpoints();
    String outputTopic = hubs.output().requireTopic("--outputTopic");
    String deadLetterTopic = hubs.deadLetters().requireTopic("--deadLetterTopic");
    PCollection<ProducerRecord<byte[], byte[]>> records = pipeline
        .apply("ReadInput", context.read(options))
        .apply("StampEvents", StampEvents.routed(hubs.output().maxEventBytes(), outputTopic, deadLetterTopic));
    records.apply("WriteOutputAndDeadLetters", WriteToHub.routed(hubs.output(),
        Map.of(outputTopic, WriteToHub.WRITTEN_COUNTER, deadLetterTopic, WriteDeadLetters.COUNTER)));
    return new Launcher.Outputs(records, null);
  }

  /** Whether the dead-letter hub is another topic of the output's namespace and settings: one producer writes both. */
  private static boolean sameNamespace(KafkaEndpoint output, KafkaEndpoint deadLetters) {
    return !deadLetters.topic().equals(output.topic()) && deadLetters.equals(output.withTopic(deadLetters.topic()));
  }

  /**
   * {@code --commitOffsets=AFTER_WRITTEN}: events and dead letters leave the stamping step as the
   * records their hubs get, in input order, and one step writes them and then commits the group.
   *
   * <pre>
   *   ReadInput ─▶ StampEvents (events and dead letters, with input positions) ─▶ WriteThenCommit
   * </pre>
   */
  private static Launcher.Outputs buildCommittingAfterWrites(Pipeline pipeline, Options options, Launcher.Context context) {
    if (options.getDedup() || options.getExactlyOnce()) {
      throw new IllegalArgumentException("--commitOffsets=AFTER_WRITTEN commits each input partition in order, which"
          + (options.getDedup() ? " --dedup (grouped by device)" : " --exactlyOnce (batched by output partition)")
          + " does not keep: add --commitOffsets=WHEN_CHECKPOINTED, or run on Flink"
          + (options.getDedup() ? ", or --stopAtEnd=true on Spark" : ""));
    }
    Launcher.Endpoints hubs = context.endpoints();
    PCollectionTuple stamped = pipeline
        .apply("ReadInput", context.read(options).withoutOffsetCommits())
        .apply("StampEvents", new StampEvents(hubs.output().maxEventBytes())
            .routedWithPositions(hubs.output().topic(), hubs.deadLetters().topic()));
    PCollection<KV<KV<Integer, Long>, ProducerRecord<byte[], byte[]>>> records = stamped.get(StampEvents.POSITIONED_RECORDS);
    records.apply("WriteThenCommit", WriteThenCommit.committing(hubs.input(), context.hubs().consumerGroup())
        .to(hubs.output(), WriteToHub.WRITTEN_COUNTER)
        .to(hubs.deadLetters(), WriteDeadLetters.COUNTER));
    return new Launcher.Outputs(records, stamped.get(StampEvents.DEAD_LETTERS));
  }

  /** Streaming with {@code --commitOffsets=AFTER_WRITTEN}; a {@code --stopAtEnd} run commits its plan at the end instead. */
  private static boolean commitsAfterWriting(Options options, Launcher.Context context) {
    return context.plan() == null && options.getCommitOffsets() == CommitOffsets.AFTER_WRITTEN;
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
    if (commitsAfterWriting(options, context)) {
      return "the group's offsets move once the output has the events (--commitOffsets=AFTER_WRITTEN): a restart"
          + " starts from the group and writes again at most what was in flight";
    }
    return options.getExactlyOnce()
        ? "exactly once: events become visible to read_committed consumers at each checkpoint; transaction group "
            + delivery(options, context, "output").transactionGroup()
        : null;
  }
}
