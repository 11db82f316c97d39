package io.ehbeam.pipelines.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.ehbeam.localkafka.TestKafka;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.io.HubAdmin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/** Topics on the run's shared test broker, and the reading and writing tests need around them. */
public final class HubFixture {
  private final KafkaEndpoint endpoint;

  public HubFixture(KafkaEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  /** The shared broker's plain listener. */
  public static HubFixture plain() {
    return new HubFixture(KafkaEndpoint.plainKafka(TestKafka.get().bootstrapServers(), null));
  }

  public String bootstrapServers() {
    return endpoint.bootstrapServers();
  }

  /** A new topic with a name no other test uses, stamped as the broker's default says. */
  public String newTopic(String prefix, int partitions) {
    return newTopic(prefix, partitions, Map.of());
  }

  /**
   * A new topic whose records carry the producer's timestamp (an event hub set to CreateTime), where
   * the default stamps the enqueue time as Event Hubs does.
   */
  public String newCreateTimeTopic(String prefix, int partitions) {
    return newTopic(prefix, partitions, Map.of("message.timestamp.type", "CreateTime"));
  }

  /** A new topic whose records carry the broker's append time, as every event hub by default. */
  public String newAppendTimeTopic(String prefix, int partitions) {
    return newTopic(prefix, partitions, Map.of("message.timestamp.type", "LogAppendTime"));
  }

  private String newTopic(String prefix, int partitions, Map<String, String> topicConfig) {
    String topic = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    try (HubAdmin admin = HubAdmin.connect(endpoint)) {
      admin.ensureTopic(topic, partitions, topicConfig);
    }
    return topic;
  }

  /** A record that was written, with the timestamp the broker gave it. */
  public static final class Written {
    public final String key;
    public final byte[] value;
    public final long timestamp;

    Written(String key, byte[] value, long timestamp) {
      this.key = key;
      this.value = value;
      this.timestamp = timestamp;
    }
  }

  /** Writes records (key may be null) and returns them with their broker timestamps. */
  public List<Written> write(String topic, List<Map.Entry<String, byte[]>> records) {
    List<Written> written = new ArrayList<>();
    // A new producer whose first batch meets a partition without its leader (a broker just
    // restarted) can retry out-of-order sequence numbers until it times out: wait for the leaders.
    try (HubAdmin admin = HubAdmin.connect(endpoint)) {
      admin.awaitLeaders(topic);
    }
    try (Producer<byte[], byte[]> producer = endpoint.newProducer()) {
      List<java.util.concurrent.Future<RecordMetadata>> acks = new ArrayList<>();
      for (Map.Entry<String, byte[]> r : records) {
        acks.add(producer.send(new ProducerRecord<>(topic, r.getKey() == null ? null : r.getKey().getBytes(UTF_8), r.getValue())));
      }
      producer.flush();
      for (int i = 0; i < records.size(); i++) {
        RecordMetadata meta = acks.get(i).get();
        written.add(new Written(records.get(i).getKey(), records.get(i).getValue(), meta.timestamp()));
      }
    } catch (InterruptedException | ExecutionException e) {
      throw new AssertionError("writing test records failed", e);
    }
    return written;
  }

  /** The largest key plus value the pipelines write to this hub (what is bigger is a dead letter). */
  public int maxEventBytes() {
    return endpoint.maxEventBytes();
  }

  /** A producer of the test broker, for records with their own partition and timestamp. */
  public Producer<byte[], byte[]> producer() {
    return endpoint.newProducer();
  }

  /**
   * Every committed record of a topic, from the beginning to the end offsets seen now. Done when the
   * position reaches them: a topic written in transactions holds markers (and aborted records) that
   * take offsets and are never returned.
   */
  public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (Consumer<byte[], byte[]> consumer = endpoint.newConsumer(null)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /** Committed offsets of a consumer group for a topic's partitions. */
  public Map<Integer, Long> committed(String group, String topic, int partitions) {
    Map<Integer, Long> result = new HashMap<>();
    try (Consumer<byte[], byte[]> consumer = endpoint.newConsumer(group)) {
      Set<TopicPartition> tps = new java.util.HashSet<>();
      for (int p = 0; p < partitions; p++) {
        tps.add(new TopicPartition(topic, p));
      }
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(tps, Duration.ofSeconds(30));
      committed.forEach((tp, o) -> result.put(tp.partition(), o == null ? null : o.offset()));
    }
    return result;
  }

  public Map<Integer, Long> endOffsets(String topic) {
    Map<Integer, Long> result = new HashMap<>();
    try (HubAdmin admin = HubAdmin.connect(endpoint)) {
      admin.offsetRange(topic).forEach((tp, range) -> result.put(tp.partition(), range[1]));
    }
    return result;
  }
}
