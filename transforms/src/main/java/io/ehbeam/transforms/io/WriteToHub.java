package io.ehbeam.transforms.io;

import io.ehbeam.transforms.connect.KafkaEndpoint;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.ProducerRecordCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.joda.time.Duration;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes to a hub: keyed values ({@link #of}) or whole records with their own timestamp and headers
 * ({@link #records}). Both count what they hand to the producer as {@code written} (or another
 * counter name) and share one KafkaIO configuration, secrets added by the endpoint's factory.
 *
 * <p>{@link Delivery#exactlyOnce} writes through KafkaIO's exactly-once sink: records in Kafka
 * transactions, each with the sink's position (a sequence number per output partition) committed in
 * the same transaction under a transaction group, so a batch written again after a failure is
 * recognised and skipped. It needs a runner with stable input (Flink with checkpoints); output
 * becomes visible to {@code read_committed} consumers when a checkpoint completes.
 */
public final class WriteToHub extends PTransform<PCollection<KV<byte[], byte[]>>, PDone> {
  public static final String WRITTEN_COUNTER = "written";

  private final KafkaEndpoint endpoint;
  private final Delivery delivery;

  private WriteToHub(KafkaEndpoint endpoint, Delivery delivery) {
    this.endpoint = endpoint;
    this.delivery = delivery;
  }

  /** Keyed values, at least once; the broker (or producer) stamps the record time. */
  public static WriteToHub of(KafkaEndpoint endpoint) {
    return new WriteToHub(endpoint, Delivery.AT_LEAST_ONCE);
  }

  /** Keyed values, delivered as {@code delivery} says. */
  public static WriteToHub of(KafkaEndpoint endpoint, Delivery delivery) {
    return new WriteToHub(endpoint, delivery);
  }

  /** Whole records, at least once: their topic is replaced by the endpoint's; timestamps and headers are kept. */
  public static Records records(KafkaEndpoint endpoint, String counterName) {
    return new Records(endpoint, counterName, Delivery.AT_LEAST_ONCE);
  }

  /** Whole records, delivered as {@code delivery} says. */
  public static Records records(KafkaEndpoint endpoint, String counterName, Delivery delivery) {
    return new Records(endpoint, counterName, delivery);
  }

  /**
   * Records for several topics of the endpoint's namespace (a job's output and dead-letter hubs), at
   * least once, each to its own topic through one producer; each counted under its topic's counter
   * name. A topic not in {@code counterByTopic} is refused: nothing is written where no one looks.
   */
  public static Routed routed(KafkaEndpoint endpoint, Map<String, String> counterByTopic) {
    return new Routed(endpoint, counterByTopic);
  }

  /** See {@link #routed}. */
  public static final class Routed extends PTransform<PCollection<ProducerRecord<byte[], byte[]>>, PDone> {
    private final KafkaEndpoint endpoint;
    private final Map<String, String> counterByTopic;

    Routed(KafkaEndpoint endpoint, Map<String, String> counterByTopic) {
      this.endpoint = endpoint;
      this.counterByTopic = new java.util.LinkedHashMap<>(counterByTopic);
    }

    @Override
    public PDone expand(PCollection<ProducerRecord<byte[], byte[]>> records) {
      return records
          .apply("Count", ParDo.of(new CountByTopic(counterByTopic)))
          .setCoder(recordCoder())
          // Every record names its topic; KafkaIO's default topic is never used.
          .apply("WriteKafka", kafkaWrite(endpoint, counterByTopic.keySet().iterator().next()));
    }
  }

  private static KafkaIO.WriteRecords<byte[], byte[]> kafkaWrite(KafkaEndpoint endpoint, String topic) {
    return KafkaIO.<byte[], byte[]>writeRecords()
        .withBootstrapServers(endpoint.bootstrapServers())
        .withTopic(topic)
        .withKeySerializer(ByteArraySerializer.class)
        .withValueSerializer(ByteArraySerializer.class)
        .withProducerConfigUpdates(endpoint.producerSettings())
        .withProducerFactoryFn(endpoint.producerFactory());
  }

  private static final class CountByTopic extends DoFn<ProducerRecord<byte[], byte[]>, ProducerRecord<byte[], byte[]>> {
    private final Map<String, String> counterByTopic;
    private transient Map<String, Counter> counters;

    CountByTopic(Map<String, String> counterByTopic) {
      this.counterByTopic = counterByTopic;
    }

    @Setup
    public void setup() {
      counters = new java.util.HashMap<>();
      counterByTopic.forEach((topic, name) -> counters.put(topic, Metrics.counter(ReadFromHub.METRICS_NAMESPACE, name)));
    }

    @ProcessElement
    public void process(@Element ProducerRecord<byte[], byte[]> r, OutputReceiver<ProducerRecord<byte[], byte[]>> out) {
      Counter counter = counters.get(r.topic());
      if (counter == null) {
        throw new IllegalStateException("A record for topic '" + r.topic() + "', which this step does not write: "
            + counterByTopic.keySet());
      }
      counter.inc();
      Progress.add(counterByTopic.get(r.topic()));
      out.output(r);
    }
  }

  /**
   * How records reach the hub: at least once (a retry after a failure may write some twice), or
   * exactly once in Kafka transactions whose position is kept under {@code transactionGroup}.
   */
  public record Delivery(String transactionGroup) implements Serializable {
    public static final Delivery AT_LEAST_ONCE = new Delivery(null);

    public static Delivery exactlyOnce(String transactionGroup) {
      if (transactionGroup == null || transactionGroup.isBlank()) {
        throw new IllegalArgumentException("exactly-once delivery needs a transaction group");
      }
      return new Delivery(transactionGroup);
    }

    public boolean isExactlyOnce() {
      return transactionGroup != null;
    }
  }

  public static ProducerRecordCoder<byte[], byte[]> recordCoder() {
    return ProducerRecordCoder.of(NullableCoder.of(ByteArrayCoder.of()), NullableCoder.of(ByteArrayCoder.of()));
  }

  @Override
  public PDone expand(PCollection<KV<byte[], byte[]>> events) {
    String topic = endpoint.requireTopic("--outputTopic");
    return events
        .apply("ToRecords", ParDo.of(new DoFn<KV<byte[], byte[]>, ProducerRecord<byte[], byte[]>>() {
          @ProcessElement
          public void process(@Element KV<byte[], byte[]> e, OutputReceiver<ProducerRecord<byte[], byte[]>> out) {
            out.output(new ProducerRecord<>(topic, e.getKey(), e.getValue()));
          }
        }))
        .setCoder(recordCoder())
        .apply("Write", records(endpoint, WRITTEN_COUNTER, delivery));
  }

  /** Writes {@link ProducerRecord}s. */
  public static final class Records extends PTransform<PCollection<ProducerRecord<byte[], byte[]>>, PDone> {
    private final KafkaEndpoint endpoint;
    private final String counterName;
    private final Delivery delivery;

    Records(KafkaEndpoint endpoint, String counterName, Delivery delivery) {
      this.endpoint = endpoint;
      this.counterName = counterName;
      this.delivery = delivery;
    }

    @Override
    public PDone expand(PCollection<ProducerRecord<byte[], byte[]>> records) {
      String topic = endpoint.requireTopic("--outputTopic");
      PCollection<ProducerRecord<byte[], byte[]>> counted = records
          .apply("Count", ParDo.of(new CountAndRetarget(topic, counterName)))
          .setCoder(recordCoder());
      if (!delivery.isExactlyOnce()) {
        return counted.apply("WriteKafka", kafkaWrite(endpoint, topic));
      }
      // KafkaIO's exactly-once sink commits one transaction per element it is handed, and Flink
      // hands it elements one by one: tens of records a second. Handed batches instead (one element
      // each, sent record by record by BatchProducer), it commits a transaction per batch. One shard
      // per partition: the sink keeps each shard's position on the partition of the same number.
      int shards;
      try (HubAdmin admin = HubAdmin.connect(endpoint)) {
        shards = admin.requireTopic(topic, "output");
      }
      counted
          .apply("SpreadOverShards", ParDo.of(new SpreadOverShards(shards)))
          .setCoder(KvCoder.of(VarIntCoder.of(), recordCoder()))
          .apply("Batch", GroupIntoBatches.<Integer, ProducerRecord<byte[], byte[]>>ofSize(BATCH_RECORDS)
              .withMaxBufferingDuration(BATCH_WAIT))
          .apply("AsOneRecordEach", ParDo.of(new AsBatchRecord(topic)))
          .setCoder(ProducerRecordCoder.of(NullableCoder.of(ByteArrayCoder.of()), ListCoder.of(recordCoder())))
          .apply(
              "WriteKafkaInTransactions",
              KafkaIO.<byte[], List<ProducerRecord<byte[], byte[]>>>writeRecords()
                  .withBootstrapServers(endpoint.bootstrapServers())
                  .withTopic(topic)
                  .withKeySerializer(ByteArraySerializer.class)
                  .withValueSerializer(BatchProducer.valueSerializer())
                  .withProducerConfigUpdates(endpoint.producerSettings())
                  .withProducerFactoryFn(BatchProducer.factory(endpoint.producerFactory()))
                  .withConsumerFactoryFn(endpoint.consumerFactory())
                  .withEOS(shards, delivery.transactionGroup()));
      return PDone.in(records.getPipeline());
    }
  }

  /** Records per transaction at most, and how long a batch waits to fill: latency on top of the checkpoint's. */
  static final int BATCH_RECORDS = 1000;
  static final Duration BATCH_WAIT = Duration.millis(500);

  private static final class SpreadOverShards
      extends DoFn<ProducerRecord<byte[], byte[]>, KV<Integer, ProducerRecord<byte[], byte[]>>> {
    private final int shards;
    private int next;

    SpreadOverShards(int shards) {
      this.shards = shards;
    }

    @ProcessElement
    public void process(@Element ProducerRecord<byte[], byte[]> r,
        OutputReceiver<KV<Integer, ProducerRecord<byte[], byte[]>>> out) {
      next = (next + 1) % shards;
      out.output(KV.of(next, r));
    }
  }

  private static final class AsBatchRecord
      extends DoFn<KV<Integer, Iterable<ProducerRecord<byte[], byte[]>>>,
          ProducerRecord<byte[], List<ProducerRecord<byte[], byte[]>>>> {
    private final String topic;

    AsBatchRecord(String topic) {
      this.topic = topic;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<ProducerRecord<byte[], byte[]>>> batch,
        OutputReceiver<ProducerRecord<byte[], List<ProducerRecord<byte[], byte[]>>>> out) {
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      batch.getValue().forEach(records::add);
      out.output(new ProducerRecord<>(topic, null, records));
    }
  }

  private static final class CountAndRetarget
      extends DoFn<ProducerRecord<byte[], byte[]>, ProducerRecord<byte[], byte[]>> {
    private final String topic;
    private final String counterName;
    private final Counter counter;

    CountAndRetarget(String topic, String counterName) {
      this.topic = topic;
      this.counterName = counterName;
      this.counter = Metrics.counter(ReadFromHub.METRICS_NAMESPACE, counterName);
    }

    @ProcessElement
    public void process(@Element ProducerRecord<byte[], byte[]> r, OutputReceiver<ProducerRecord<byte[], byte[]>> out) {
      counter.inc();
      Progress.add(counterName);
      out.output(topic.equals(r.topic()) ? r
          : new ProducerRecord<>(topic, r.partition(), r.timestamp(), r.key(), r.value(), r.headers()));
    }
  }
}
