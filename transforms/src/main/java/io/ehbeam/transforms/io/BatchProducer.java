package io.ehbeam.transforms.io;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A producer whose one "record" is a batch of records: sending it sends each of them, with its own
 * key and headers, through a real producer. Transactions pass straight through, so KafkaIO's
 * exactly-once sink, handed batches, commits one transaction (and one position) per batch.
 */
final class BatchProducer implements Producer<byte[], List<ProducerRecord<byte[], byte[]>>> {
  private final Producer<byte[], byte[]> records;

  private BatchProducer(Producer<byte[], byte[]> records) {
    this.records = records;
  }

  /** Wraps the producers {@code factory} makes (from KafkaIO's settings, byte-array serializers). */
  static SerializableFunction<Map<String, Object>, Producer<byte[], List<ProducerRecord<byte[], byte[]>>>> factory(
      SerializableFunction<Map<String, Object>, Producer<byte[], byte[]>> factory) {
    return config -> new BatchProducer(factory.apply(config));
  }

  /** What KafkaIO configures as the value serializer: the real producer's, for the records inside. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Class<? extends Serializer<List<ProducerRecord<byte[], byte[]>>>> valueSerializer() {
    return (Class) ByteArraySerializer.class;
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<byte[], List<ProducerRecord<byte[], byte[]>>> batch) {
    return send(batch, null);
  }

  /** Sends every record of the batch; errors surface when the transaction commits, as with any send. */
  @Override
  public Future<RecordMetadata> send(ProducerRecord<byte[], List<ProducerRecord<byte[], byte[]>>> batch, Callback callback) {
    Future<RecordMetadata> last = null;
    for (ProducerRecord<byte[], byte[]> r : batch.value()) {
      last = records.send(new ProducerRecord<>(batch.topic(), r.partition(), r.timestamp(), r.key(), r.value(), r.headers()), callback);
    }
    return last;
  }

  @Override
  public void initTransactions() {
    records.initTransactions();
  }

  @Override
  public void beginTransaction() {
    records.beginTransaction();
  }

  @Override
  @SuppressWarnings("deprecation")
  public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, String consumerGroupId) {
    records.sendOffsetsToTransaction(offsets, consumerGroupId);
  }

  @Override
  public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
    records.sendOffsetsToTransaction(offsets, group);
  }

  @Override
  public void commitTransaction() {
    records.commitTransaction();
  }

  @Override
  public void abortTransaction() {
    records.abortTransaction();
  }

  @Override
  public void flush() {
    records.flush();
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic) {
    return records.partitionsFor(topic);
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return records.metrics();
  }

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    return records.clientInstanceId(timeout);
  }

  @Override
  public void close() {
    records.close();
  }

  @Override
  public void close(Duration timeout) {
    records.close(timeout);
  }
}
