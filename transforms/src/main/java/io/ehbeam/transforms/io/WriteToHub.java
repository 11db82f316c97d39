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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes to a hub: keyed values ({@link #of}) or whole records with their own timestamp and headers
 * ({@link #records}). Both count what they hand to the producer as {@code written} (or another
 * counter name) and share one KafkaIO configuration, secrets added by the endpoint's factory.
 */
public final class WriteToHub extends PTransform<PCollection<KV<byte[], byte[]>>, PDone> {
  public static final String WRITTEN_COUNTER = "written";

  private final KafkaEndpoint endpoint;

  public WriteToHub(KafkaEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  /** Keyed values; the broker (or producer) stamps the record time. */
  public static WriteToHub of(KafkaEndpoint endpoint) {
    return new WriteToHub(endpoint);
  }

  /** Whole records: their topic is replaced by the endpoint's; timestamps and headers are kept. */
  public static Records records(KafkaEndpoint endpoint, String counterName) {
    return new Records(endpoint, counterName);
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
        .apply("Write", records(endpoint, WRITTEN_COUNTER));
  }

  /** Writes {@link ProducerRecord}s. */
  public static final class Records extends PTransform<PCollection<ProducerRecord<byte[], byte[]>>, PDone> {
    private final KafkaEndpoint endpoint;
    private final String counterName;

    Records(KafkaEndpoint endpoint, String counterName) {
      this.endpoint = endpoint;
      this.counterName = counterName;
    }

    @Override
    public PDone expand(PCollection<ProducerRecord<byte[], byte[]>> records) {
      String topic = endpoint.requireTopic("--outputTopic");
      return records
          .apply("Count", ParDo.of(new CountAndRetarget(topic, counterName)))
          .setCoder(recordCoder())
          .apply(
              "WriteKafka",
              KafkaIO.<byte[], byte[]>writeRecords()
                  .withBootstrapServers(endpoint.bootstrapServers())
                  .withTopic(topic)
                  .withKeySerializer(ByteArraySerializer.class)
                  .withValueSerializer(ByteArraySerializer.class)
                  .withProducerConfigUpdates(endpoint.producerSettings())
                  .withProducerFactoryFn(endpoint.producerFactory()));
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
