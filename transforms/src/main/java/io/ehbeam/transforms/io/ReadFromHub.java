package io.ehbeam.transforms.io;

import io.ehbeam.transforms.connect.KafkaEndpoint;
import java.util.List;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaRecordCoder;
import org.apache.beam.sdk.io.kafka.KafkaSourceDescriptor;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.splittabledofn.WatermarkEstimator;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Reads a hub's records as bytes with their metadata (topic, partition, offset, broker timestamp,
 * headers). Element timestamps are the records' event times as {@link EventTime} says: by default the
 * broker's record timestamps (when Event Hubs received the event), with a watermark that trails
 * them by {@link #MAX_OUT_OF_ORDER}; {@link #withEventTime} takes them from the events instead.
 *
 * <p>Two modes: unbounded, committing offsets to the consumer group when the runner finalizes a
 * checkpoint; or bounded by a {@link ReadPlan} ({@code --stopAtEnd}), where the pipeline commits the
 * plan once it has succeeded.
 */
public final class ReadFromHub
    extends PTransform<PBegin, PCollection<KafkaRecord<byte[], byte[]>>> {
  public static final Duration MAX_OUT_OF_ORDER = Duration.standardSeconds(30);
  public static final String METRICS_NAMESPACE = "ehbeam";
  public static final String READ_COUNTER = "read";

  private final KafkaEndpoint endpoint;
  private final String consumerGroup;
  private final String autoOffsetReset;
  private final ReadPlan plan;
  private final boolean commitInFinalize;
  private final EventTime eventTime;
  private final PlannedRead plannedRead;

  /** How a {@link ReadPlan}'s offset ranges are read. */
  public enum PlannedRead implements io.ehbeam.transforms.options.Choice.Word {
    /**
     * A splittable DoFn over explicit offset ranges: small bundles. The DirectRunner reads a bounded
     * source's whole split into one bundle in memory (1M events of 1 KB exceeded a 512 MB heap).
     */
    SPLITTABLE_DOFN,
    /**
     * One bounded Kafka source per partition: Flink and Spark stream them through, and their
     * streaming modes would not end a splittable read.
     */
    BOUNDED_SOURCES,
    /**
     * Chunks of offsets read by a plain DoFn ({@link ReadOffsetChunks}): no per-bundle splittable
     * bookkeeping, no flatten of per-partition sources, a partition's chunks read side by side.
     * Records keep their offset order within a chunk only.
     */
    OFFSET_CHUNKS;

    @Override
    public String toString() {
      return io.ehbeam.transforms.options.Choice.spelled(this);
    }
  }

  private ReadFromHub(KafkaEndpoint endpoint, String consumerGroup, String autoOffsetReset, ReadPlan plan,
      boolean commitInFinalize, EventTime eventTime, PlannedRead plannedRead) {
    this.endpoint = endpoint;
    this.consumerGroup = consumerGroup;
    this.autoOffsetReset = autoOffsetReset;
    this.plan = plan;
    this.commitInFinalize = commitInFinalize;
    this.eventTime = eventTime;
    this.plannedRead = plannedRead;
  }

  /** Reads for as long as the pipeline runs. */
  public static ReadFromHub unbounded(KafkaEndpoint endpoint, String consumerGroup, String autoOffsetReset) {
    return new ReadFromHub(endpoint, consumerGroup, autoOffsetReset, null, true, EventTime.broker(MAX_OUT_OF_ORDER),
        null);
  }

  /** Reads exactly what {@code plan} holds, the way {@code how} says, then finishes. */
  public static ReadFromHub bounded(KafkaEndpoint endpoint, String consumerGroup, ReadPlan plan, PlannedRead how) {
    return new ReadFromHub(endpoint, consumerGroup, "earliest", plan, false, EventTime.broker(MAX_OUT_OF_ORDER),
        java.util.Objects.requireNonNull(how, "how to read the plan"));
  }

  /**
   * Unbounded, but leaves committing the group's offsets to the pipeline (the archive commits once
   * files are written), instead of committing when the runner finalizes a checkpoint.
   */
  public ReadFromHub withoutOffsetCommits() {
    return new ReadFromHub(endpoint, consumerGroup, autoOffsetReset, plan, false, eventTime, plannedRead);
  }

  /** Element timestamps and watermark from {@code eventTime} instead of the broker's timestamps. */
  public ReadFromHub withEventTime(EventTime eventTime) {
    return new ReadFromHub(endpoint, consumerGroup, autoOffsetReset, plan, commitInFinalize, eventTime, plannedRead);
  }

  public static KafkaRecordCoder<byte[], byte[]> coder() {
    return KafkaRecordCoder.of(NullableCoder.of(ByteArrayCoder.of()), NullableCoder.of(ByteArrayCoder.of()));
  }

  @Override
  public PCollection<KafkaRecord<byte[], byte[]>> expand(PBegin input) {
    PCollection<KafkaRecord<byte[], byte[]>> records;
    if (plan == null) {
      records =
          input.apply(
              "ReadKafka",
              commitInFinalize
                  ? streamingRead().commitOffsetsInFinalize()
                  : streamingRead());
    } else if (plan.totalRecords() == 0) {
      records = input.apply("NothingToRead", Create.empty(coder()));
    } else if (plannedRead == PlannedRead.OFFSET_CHUNKS) {
      records = input.apply("ReadChunks", new ReadOffsetChunks(endpoint, plan, eventTime));
    } else if (plannedRead == PlannedRead.SPLITTABLE_DOFN) {
      records = input.apply("PlannedRanges", Create.of(descriptors())).apply("ReadRanges", sdfRead());
    } else {
      PCollectionList<KafkaRecord<byte[], byte[]>> parts = PCollectionList.empty(input.getPipeline());
      for (ReadPlan.Range range : plan.ranges()) {
        if (range.count() == 0) {
          continue;
        }
        parts =
            parts.and(
                input.apply(
                    "ReadPartition" + range.partition().partition(),
                    baseRead(endpoint.consumerSettings(consumerGroup, autoOffsetReset))
                        .withTopicPartitions(List.of(range.partition()))
                        .withMaxNumRecords(range.count())));
      }
      records = parts.apply("AllPartitions", Flatten.pCollections());
    }
    return records.apply("CountRead", ParDo.of(new CountRead())).setCoder(coder());
  }

  private List<KafkaSourceDescriptor> descriptors() {
    List<KafkaSourceDescriptor> descriptors = new java.util.ArrayList<>();
    for (ReadPlan.Range range : plan.ranges()) {
      if (range.count() > 0) {
        descriptors.add(KafkaSourceDescriptor.of(range.partition(), range.start(), null, range.end(), null, null));
      }
    }
    return descriptors;
  }

  private KafkaIO.ReadSourceDescriptors<byte[], byte[]> sdfRead() {
    return KafkaIO.ReadSourceDescriptors.<byte[], byte[]>read()
        .withBootstrapServers(endpoint.bootstrapServers())
        .withKeyDeserializerAndCoder(ByteArrayDeserializer.class, NullableCoder.of(ByteArrayCoder.of()))
        .withValueDeserializerAndCoder(ByteArrayDeserializer.class, NullableCoder.of(ByteArrayCoder.of()))
        .withConsumerConfigUpdates(endpoint.consumerSettings(consumerGroup, autoOffsetReset))
        .withConsumerFactoryFn(endpoint.consumerFactory())
        .withExtractOutputTimestampFn(eventTime::orBrokerTime)
        .withCreatWatermarkEstimatorFn(initial -> new HeldUntilTheEnd());
  }

  /**
   * A planned read is a batch: like a bounded source, its watermark moves only when it is done, so
   * every record is on time wherever partitions interleave (a per-partition "highest timestamp
   * seen" made a slower partition's months late and dropped them).
   */
  private static final class HeldUntilTheEnd implements WatermarkEstimator<Instant> {
    @Override
    public Instant currentWatermark() {
      return BoundedWindow.TIMESTAMP_MIN_VALUE;
    }

    @Override
    public Instant getState() {
      return BoundedWindow.TIMESTAMP_MIN_VALUE;
    }
  }

  /** A live hub: fetches return what is there rather than wait for a fill. */
  private KafkaIO.Read<byte[], byte[]> streamingRead() {
    return baseRead(endpoint.streamingConsumerSettings(consumerGroup, autoOffsetReset))
        .withTopic(endpoint.requireTopic("--inputTopic"));
  }

  private KafkaIO.Read<byte[], byte[]> baseRead(java.util.Map<String, Object> consumerSettings) {
    return KafkaIO.<byte[], byte[]>read()
        .withBootstrapServers(endpoint.bootstrapServers())
        .withKeyDeserializerAndCoder(ByteArrayDeserializer.class, NullableCoder.of(ByteArrayCoder.of()))
        .withValueDeserializerAndCoder(ByteArrayDeserializer.class, NullableCoder.of(ByteArrayCoder.of()))
        .withConsumerConfigUpdates(consumerSettings)
        .withConsumerFactoryFn(endpoint.consumerFactory())
        .withTimestampPolicyFactory(eventTime.policyFactory());
  }

  private static final class CountRead
      extends DoFn<KafkaRecord<byte[], byte[]>, KafkaRecord<byte[], byte[]>> {
    private final Counter read = Metrics.counter(METRICS_NAMESPACE, READ_COUNTER);

    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> record, OutputReceiver<KafkaRecord<byte[], byte[]>> out) {
      read.inc();
      Progress.add(READ_COUNTER);
      out.output(record);
    }
  }
}
