package io.ehbeam.transforms.io;

import io.ehbeam.transforms.connect.KafkaEndpoint;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writes keyed byte records to a hub, counting them as {@code written}. */
public final class WriteToHub extends PTransform<PCollection<KV<byte[], byte[]>>, PDone> {
  public static final String WRITTEN_COUNTER = "written";

  private final KafkaEndpoint endpoint;

  public WriteToHub(KafkaEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public PDone expand(PCollection<KV<byte[], byte[]>> events) {
    return events
        .apply("CountWritten", ParDo.of(new CountWritten()))
        .setCoder(events.getCoder())
        .apply(
            "WriteKafka",
            KafkaIO.<byte[], byte[]>write()
                .withBootstrapServers(endpoint.bootstrapServers())
                .withTopic(endpoint.requireTopic("--outputTopic"))
                .withKeySerializer(ByteArraySerializer.class)
                .withValueSerializer(ByteArraySerializer.class)
                .withProducerConfigUpdates(endpoint.producerSettings())
                .withProducerFactoryFn(endpoint.producerFactory()));
  }

  private static final class CountWritten extends DoFn<KV<byte[], byte[]>, KV<byte[], byte[]>> {
    private final Counter written = Metrics.counter(ReadFromHub.METRICS_NAMESPACE, WRITTEN_COUNTER);

    @ProcessElement
    public void process(@Element KV<byte[], byte[]> event, OutputReceiver<KV<byte[], byte[]>> out) {
      written.inc();
      Progress.add(WRITTEN_COUNTER);
      out.output(event);
    }
  }
}
