package io.ehbeam.transforms.io;

import io.ehbeam.transforms.connect.KafkaEndpoint;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records, each tagged with the input position it came from, and then moves the input's
 * consumer group over them: at the end of each bundle, once the hubs have acknowledged every record
 * of it, each input partition's committed offset goes past the bundle's last position. A job
 * killed at any moment and started again from its group writes again what was in flight (at least
 * once) and skips nothing.
 *
 * <p>For runners that finalize a read before its records are written (Spark's micro-batches,
 * where committing on finalize loses a killed batch). The records of one input partition must
 * reach this step in offset order, as they do straight from the read: no shuffle in between.
 * Each record goes to the destination named by its topic (the output, the dead-letter hub).
 *
 * <p>A send the hub refuses fails the bundle before anything is committed: the runner retries it.
 * A commit the hub does not answer is counted as {@code commitsDeferred}; the next bundle commits
 * further.
 */
public final class WriteThenCommit
    extends PTransform<PCollection<KV<KV<Integer, Long>, ProducerRecord<byte[], byte[]>>>, PDone> {
  public static final String COMMITS_DEFERRED = "commitsDeferred";

  private final KafkaEndpoint input;
  private final String consumerGroup;
  /** Topic → where it is and which counter counts what is written to it. */
  private final LinkedHashMap<String, Destination> destinations = new LinkedHashMap<>();

  private record Destination(KafkaEndpoint endpoint, String counterName) implements java.io.Serializable {}

  private WriteThenCommit(KafkaEndpoint input, String consumerGroup) {
    this.input = input;
    this.consumerGroup = consumerGroup;
  }

  /** Commits {@code consumerGroup}'s offsets on {@code input}'s topic; add destinations with {@link #to}. */
  public static WriteThenCommit committing(KafkaEndpoint input, String consumerGroup) {
    return new WriteThenCommit(input, consumerGroup);
  }

  /** Records for {@code endpoint}'s topic go there, counted under {@code counterName}. */
  public WriteThenCommit to(KafkaEndpoint endpoint, String counterName) {
    WriteThenCommit result = new WriteThenCommit(input, consumerGroup);
    result.destinations.putAll(destinations);
    result.destinations.put(endpoint.requireTopic("--outputTopic"), new Destination(endpoint, counterName));
    return result;
  }

  /** The coder of what this writes: (input partition, offset) and the record. */
  public static Coder<KV<KV<Integer, Long>, ProducerRecord<byte[], byte[]>>> coder() {
    return KvCoder.of(KvCoder.of(VarIntCoder.of(), VarLongCoder.of()), WriteToHub.recordCoder());
  }

  @Override
  public PDone expand(PCollection<KV<KV<Integer, Long>, ProducerRecord<byte[], byte[]>>> records) {
    if (destinations.isEmpty()) {
      throw new IllegalStateException("WriteThenCommit needs a destination");
    }
    records.apply("SendThenCommit", ParDo.of(new SendThenCommitFn(this)));
    return PDone.in(records.getPipeline());
  }

  static final class SendThenCommitFn extends DoFn<KV<KV<Integer, Long>, ProducerRecord<byte[], byte[]>>, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(WriteThenCommit.class);

    private final KafkaEndpoint input;
    private final String inputTopic;
    private final String consumerGroup;
    private final Map<String, Destination> destinations;
    private final Map<String, Counter> counters = new HashMap<>();
    private final Counter commitsDeferred = Metrics.counter(ReadFromHub.METRICS_NAMESPACE, COMMITS_DEFERRED);
    private transient Map<String, Producer<byte[], byte[]>> producers;
    private transient Consumer<byte[], byte[]> committer;
    /** Per input partition, the offset after the last record of this bundle. */
    private transient Map<Integer, Long> next;
    /** What this instance committed: a commit never moves a partition back. */
    private transient Map<Integer, Long> committed;
    private transient AtomicReference<Exception> failure;

    SendThenCommitFn(WriteThenCommit spec) {
      this.input = spec.input;
      this.inputTopic = spec.input.requireTopic("--inputTopic");
      this.consumerGroup = spec.consumerGroup;
      this.destinations = new LinkedHashMap<>(spec.destinations);
      destinations.forEach((topic, d) -> counters.put(topic, Metrics.counter(ReadFromHub.METRICS_NAMESPACE, d.counterName())));
    }

    @Setup
    public void setup() {
      producers = new HashMap<>();
      destinations.forEach((topic, d) -> producers.put(topic, d.endpoint().sharedProducer()));
      committer = input.newConsumer(consumerGroup);
      committed = new HashMap<>();
    }

    @StartBundle
    public void startBundle() {
      next = new HashMap<>();
      failure = new AtomicReference<>();
    }

    @ProcessElement
    public void process(@Element KV<KV<Integer, Long>, ProducerRecord<byte[], byte[]>> element) {
      ProducerRecord<byte[], byte[]> record = element.getValue();
      Producer<byte[], byte[]> producer = producers.get(record.topic());
      if (producer == null) {
        throw new IllegalArgumentException("no destination for topic " + record.topic() + "; known: " + destinations.keySet());
      }
      producer.send(record, (metadata, e) -> {
        if (e != null) {
          failure.compareAndSet(null, e);
        }
      });
      String counterName = destinations.get(record.topic()).counterName();
      counters.get(record.topic()).inc();
      Progress.add(counterName);
      next.merge(element.getKey().getKey(), element.getKey().getValue() + 1, Math::max);
    }

    @FinishBundle
    public void finishBundle() throws IOException {
      producers.values().forEach(Producer::flush);
      if (failure.get() != null) {
        // Nothing of this bundle is committed: the runner retries it, at least once.
        throw new IOException("the hub did not take every record of this bundle: " + failure.get().getMessage(), failure.get());
      }
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      next.forEach((partition, offset) -> {
        if (offset > committed.getOrDefault(partition, -1L)) {
          offsets.put(new TopicPartition(inputTopic, partition), new OffsetAndMetadata(offset));
        }
      });
      if (offsets.isEmpty()) {
        return;
      }
      try {
        committer.assign(offsets.keySet());
        committer.commitSync(offsets, HubAdmin.TIMEOUT);
        offsets.forEach((tp, o) -> committed.put(tp.partition(), o.offset()));
      } catch (KafkaException e) {
        // The records are written; only the group lags. A restart meanwhile writes them again.
        commitsDeferred.inc();
        LOG.warn("Could not commit {} of group {} ({}); the next bundle commits further", offsets, consumerGroup,
            HubAdmin.HubException.explain(input, e));
      }
    }

    @Teardown
    public void teardown() {
      if (producers != null) {
        producers.values().forEach(Producer::close);
      }
      if (committer != null) {
        committer.close();
      }
    }
  }
}
