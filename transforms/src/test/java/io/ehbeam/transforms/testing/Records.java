package io.ehbeam.transforms.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Kafka records for transform tests, as KafkaIO would read them. */
public final class Records {
  private Records() {}

  public static KafkaRecord<byte[], byte[]> record(String topic, int partition, long offset, long timestamp, String key, byte[] value) {
    return new KafkaRecord<>(topic, partition, offset, timestamp, KafkaTimestampType.CREATE_TIME,
        new RecordHeaders(), key == null ? null : key.getBytes(UTF_8), value);
  }

  public static KafkaRecord<byte[], byte[]> record(long offset, long timestamp, String key, String value) {
    return record("in", 0, offset, timestamp, key, value == null ? null : value.getBytes(UTF_8));
  }
}
