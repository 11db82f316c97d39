package io.ehbeam.transforms.deadletter;

import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.io.WriteToHub;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes dead letters to a Kafka topic (event hub). The record keeps the original key and bytes; the
 * reason and the source coordinates travel in headers, the convention Kafka Connect's dead-letter
 * queues use, so any consumer can read the payload unchanged:
 *
 * <pre>
 *   deadletter.reason, deadletter.step, deadletter.topic, deadletter.partition,
 *   deadletter.offset, deadletter.timestamp
 * </pre>
 *
 * Records read from files carry {@code deadletter.file} and {@code deadletter.line} instead of the
 * topic coordinates. A payload too large for the hub is cut to {@link #MAX_PAYLOAD_BYTES} with {@code
 * deadletter.truncated=true} and {@code deadletter.originalBytes}: it is still reported, not lost.
 */
public final class WriteDeadLetters extends PTransform<PCollection<DeadLetter>, PDone> {
  public static final String COUNTER = "deadLettered";
  static final int MAX_PAYLOAD_BYTES = 512 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(WriteDeadLetters.class);
  /** Log the first few dead letters, then one in every thousand: enough to see, never a flood. */
  private static final AtomicLong SEEN = new AtomicLong();

  private final KafkaEndpoint deadLetterEndpoint;
  private final WriteToHub.Delivery delivery;

  /** Dead letters at least once. */
  public WriteDeadLetters(KafkaEndpoint deadLetterEndpoint) {
    this(deadLetterEndpoint, WriteToHub.Delivery.AT_LEAST_ONCE);
  }

  /** Dead letters delivered as {@code delivery} says: exactly once with an exactly-once job. */
  public WriteDeadLetters(KafkaEndpoint deadLetterEndpoint, WriteToHub.Delivery delivery) {
    this.deadLetterEndpoint = deadLetterEndpoint;
    this.delivery = delivery;
  }

  @Override
  public PDone expand(PCollection<DeadLetter> deadLetters) {
    return deadLetters
        .apply("Describe", ParDo.of(new ToProducerRecord(deadLetterEndpoint.requireTopic("--deadLetterTopic"))))
        .setCoder(WriteToHub.recordCoder())
        .apply("WriteToDeadLetterTopic", WriteToHub.records(deadLetterEndpoint, COUNTER, delivery));
  }

  /** Turns a dead letter into the record written; counts it and logs a sample of reasons. */
  static final class ToProducerRecord extends DoFn<DeadLetter, ProducerRecord<byte[], byte[]>> {

    private final String topic;

    ToProducerRecord(String topic) {
      this.topic = topic;
    }

    @ProcessElement
    public void process(@Element DeadLetter d, OutputReceiver<ProducerRecord<byte[], byte[]>> out) {
      out.output(describe(topic, d));
    }
  }

  /** The record a dead letter is written as, to {@code topic}; logs a sample of reasons. */
  public static ProducerRecord<byte[], byte[]> describe(String topic, DeadLetter d) {
    long n = SEEN.incrementAndGet();
    if (n <= 10 || n % 1000 == 0) {
      LOG.warn("Dead letter #{} from {} ({}/{}@{}): {}", n, d.step(), d.sourceTopic(),
          d.sourcePartition(), d.sourceOffset(), d.reason());
    }
    return toRecord(topic, d);
  }

  static ProducerRecord<byte[], byte[]> toRecord(String topic, DeadLetter d) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("deadletter.reason", utf8(d.reason()));
    headers.add("deadletter.step", utf8(d.step()));
    if (d.sourcePartition() < 0 && d.sourceTopic() != null) {
      headers.add("deadletter.file", utf8(d.sourceTopic()));
      headers.add("deadletter.line", utf8(Long.toString(d.sourceOffset())));
    } else if (d.sourceTopic() != null) {
      headers.add("deadletter.topic", utf8(d.sourceTopic()));
      headers.add("deadletter.partition", utf8(Integer.toString(d.sourcePartition())));
      headers.add("deadletter.offset", utf8(Long.toString(d.sourceOffset())));
      headers.add("deadletter.timestamp", utf8(Long.toString(d.sourceTimestampMillis())));
    }
    byte[] value = d.value();
    if (value != null && value.length > MAX_PAYLOAD_BYTES) {
      headers.add("deadletter.truncated", utf8("true"));
      headers.add("deadletter.originalBytes", utf8(Integer.toString(value.length)));
      value = Arrays.copyOf(value, MAX_PAYLOAD_BYTES);
    }
    return new ProducerRecord<>(topic, null, null, d.key(), value, headers);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
