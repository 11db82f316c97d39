package io.ehbeam.tools;

import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.io.HubAdmin;
import io.ehbeam.transforms.json.EventDocument.InvalidEventException;
import io.ehbeam.transforms.relay.EventStamper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The physical limit the relay is measured against: a plain Kafka consumer→producer loop on one
 * thread, doing the same enrichment with the same code ({@link EventStamper}), reading a topic from
 * its beginning to the end offsets seen at start. No Beam, no runner: what one JVM can move.
 */
public final class PlainKafkaRelay {
  private PlainKafkaRelay() {}

  /** What a run moved and how fast; {@code elapsedNanos} from the first record polled to the last one acknowledged. */
  public record Result(long read, long written, long refused, long elapsedNanos) {
    public double eventsPerSecond() {
      return elapsedNanos == 0 ? 0 : written * 1e9 / elapsedNanos;
    }
  }

  /** {@code ./run plain-relay --inputTopic=in --outputTopic=out}: the baseline on its own. */
  public static int run(String[] args) {
    io.ehbeam.transforms.connect.HubOptions options =
        Tools.options(args, io.ehbeam.transforms.connect.HubOptions.class);
    io.ehbeam.transforms.connect.Hubs hubs = io.ehbeam.transforms.connect.Hubs.resolve(options, null);
    // As every pipeline: the input must exist, the output is created; a producer would otherwise
    // wait a minute per record for a topic that never appears.
    io.ehbeam.pipelines.common.Jobs.prepareTopics(options, hubs.input(), hubs.output());
    Result r = run(hubs.input(), hubs.output());
    System.out.printf("Relayed %,d of %,d records (%,d refused) at %,.0f events/s.%n", r.written, r.read, r.refused, r.eventsPerSecond());
    return 0;
  }

  public static Result run(KafkaEndpoint input, KafkaEndpoint output) {
    String inputTopic = input.requireTopic("--inputTopic");
    String outputTopic = output.requireTopic("--outputTopic");
    Map<TopicPartition, long[]> ranges;
    try (HubAdmin admin = HubAdmin.connect(input)) {
      ranges = admin.offsetRange(inputTopic);
    }
    long expected = ranges.values().stream().mapToLong(r -> r[1] - r[0]).sum();
    long read = 0;
    long written = 0;
    long refused = 0;
    long start = 0;
    try (Consumer<byte[], byte[]> consumer = input.newConsumer(null);
        Producer<byte[], byte[]> producer = output.newProducer()) {
      List<TopicPartition> partitions = new ArrayList<>(ranges.keySet());
      consumer.assign(partitions);
      ranges.forEach((tp, range) -> consumer.seek(tp, range[0]));
      while (read < expected) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (start == 0) {
            start = System.nanoTime();
          }
          if (r.offset() >= ranges.get(new TopicPartition(r.topic(), r.partition()))[1]) {
            continue;
          }
          read++;
          try {
            byte[] stamped = EventStamper.stamp(r.value(), r.timestamp(), System.currentTimeMillis(), null).value();
            producer.send(new ProducerRecord<>(outputTopic, r.key(), stamped));
            written++;
          } catch (InvalidEventException e) {
            refused++;
          }
        }
      }
      producer.flush();
    }
    return new Result(read, written, refused, start == 0 ? 0 : System.nanoTime() - start);
  }
}
