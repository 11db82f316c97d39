package io.ehbeam.transforms.produce;

import io.ehbeam.transforms.io.WriteToHub;
import io.ehbeam.transforms.model.TemperatureReading;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Temperature events as Kafka records: keyed by city, timestamped with the reading's time. */
public final class ToTemperatureRecords
    extends PTransform<PCollection<TemperatureReading>, PCollection<ProducerRecord<byte[], byte[]>>> {
  private final String topic;

  public ToTemperatureRecords(String topic) {
    this.topic = topic;
  }

  @Override
  public PCollection<ProducerRecord<byte[], byte[]>> expand(PCollection<TemperatureReading> events) {
    return events
        .apply("KeyByCityAtReadingTime", ParDo.of(new DoFn<TemperatureReading, ProducerRecord<byte[], byte[]>>() {
          @ProcessElement
          public void process(@Element TemperatureReading r, OutputReceiver<ProducerRecord<byte[], byte[]>> out) {
            out.output(new ProducerRecord<>(topic, null, r.epochMillis(), r.city.getBytes(StandardCharsets.UTF_8), r.toJson()));
          }
        }))
        .setCoder(WriteToHub.recordCoder());
  }
}
