package io.ehbeam.pipelines.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.pipelines.testing.HubFixture;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.io.ReadFromHub;
import io.ehbeam.transforms.io.ReadPlan;
import io.ehbeam.localkafka.TestKafka;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Every way of reading a plan ({@code --plannedRead}) on the DirectRunner against the broker: each
 * planned record once, with its partition, offset, value and the broker's timestamp as its time.
 */
class PlannedReadsTest {
  /** More than a chunk of {@code OFFSET_CHUNKS} (10,000) in one partition: its chunks read side by side. */
  private static final int PARTITION_0 = 26_000;
  private static final int PARTITION_1 = 3_000;

  @Test
  void eachPlannedReadReadsEveryRecordOnceWithTheBrokersTimestamp() throws Exception {
    HubFixture hub = HubFixture.plain();
    String topic = hub.newCreateTimeTopic("planned-reads", 2);
    List<String> expected = new ArrayList<>();
    long t0 = Instant.parse("2023-01-05T13:00:00Z").getMillis();
    try (Producer<byte[], byte[]> producer = hub.producer()) {
      for (int p = 0; p < 2; p++) {
        for (int i = 0; i < (p == 0 ? PARTITION_0 : PARTITION_1); i++) {
          String value = "event-" + p + "-" + i;
          producer.send(new ProducerRecord<>(topic, p, t0 + i, null, value.getBytes(StandardCharsets.UTF_8)));
          expected.add(p + "/" + i + "/" + value + "/" + (t0 + i));
        }
      }
    }
    KafkaEndpoint endpoint = KafkaEndpoint.plainKafka(TestKafka.get().bootstrapServers(), null).withTopic(topic);
    ReadPlan plan = ReadPlan.capture(endpoint, topic + "-cg", "earliest");
    assertThat(plan.totalRecords()).isEqualTo(PARTITION_0 + PARTITION_1);

    for (ReadFromHub.PlannedRead how : ReadFromHub.PlannedRead.values()) {
      Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
      PCollection<String> read = pipeline.apply(ReadFromHub.bounded(endpoint, topic + "-cg", plan, how))
          .apply(ParDo.of(new Describe()));
      PAssert.that(how.name(), read).containsInAnyOrder(expected);
      assertThat(pipeline.run().waitUntilFinish()).as(how.name()).isEqualTo(PipelineResult.State.DONE);
    }
  }

  /**
   * A hub written in transactions (an exactly-once relay's output): markers and aborted records
   * take offsets and are never returned, so a read that waits for the plan's last offset waits for a
   * record that never comes: KafkaIO's bounded sources count records, and its splittable read (2.62)
   * polled for 20 minutes here. Offset chunks stop at the consumer's position, which steps over
   * markers: every committed record once, no aborted one.
   */
  @Test
  void offsetChunksReadAHubWrittenInTransactions() throws Exception {
    HubFixture hub = HubFixture.plain();
    String topic = hub.newCreateTimeTopic("planned-reads-txn", 1);
    KafkaEndpoint endpoint = KafkaEndpoint.plainKafka(TestKafka.get().bootstrapServers(), null).withTopic(topic);
    List<String> expected = new ArrayList<>();
    long t0 = Instant.parse("2023-01-05T13:00:00Z").getMillis();
    java.util.Map<String, Object> config = new java.util.HashMap<>();
    config.put("bootstrap.servers", TestKafka.get().bootstrapServers());
    config.put("transactional.id", topic + "-writer");
    try (Producer<byte[], byte[]> producer = new org.apache.kafka.clients.producer.KafkaProducer<>(config,
        new org.apache.kafka.common.serialization.ByteArraySerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      producer.initTransactions();
      for (int txn = 0; txn < 30; txn++) {
        producer.beginTransaction();
        for (int i = 0; i < 500; i++) {
          String value = "txn-" + txn + "-" + i;
          producer.send(new ProducerRecord<>(topic, 0, t0 + i, null, value.getBytes(StandardCharsets.UTF_8)));
          if (txn % 10 != 9) {
            expected.add(value);
          }
        }
        if (txn % 10 == 9) {
          producer.abortTransaction();
        } else {
          producer.commitTransaction();
        }
      }
    }
    ReadPlan plan = ReadPlan.capture(endpoint, topic + "-cg", "earliest");
    assertThat(plan.totalRecords()).as("offsets: records, aborted records and markers").isGreaterThan(expected.size());

    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollection<String> values = pipeline
        .apply(ReadFromHub.bounded(endpoint, topic + "-cg", plan, ReadFromHub.PlannedRead.OFFSET_CHUNKS))
        .apply(org.apache.beam.sdk.transforms.MapElements.into(org.apache.beam.sdk.values.TypeDescriptors.strings())
            .via(r -> new String(r.getKV().getValue(), StandardCharsets.UTF_8)));
    PAssert.that(values).containsInAnyOrder(expected);
    assertThat(pipeline.run().waitUntilFinish()).isEqualTo(PipelineResult.State.DONE);
  }

  /** partition/offset/value/element time. */
  private static final class Describe extends DoFn<KafkaRecord<byte[], byte[]>, String> {
    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> r, @Timestamp Instant time, OutputReceiver<String> out) {
      out.output(r.getPartition() + "/" + r.getOffset() + "/" + new String(r.getKV().getValue(), StandardCharsets.UTF_8)
          + "/" + time.getMillis());
    }
  }
}
