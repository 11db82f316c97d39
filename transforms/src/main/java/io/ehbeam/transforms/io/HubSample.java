package io.ehbeam.transforms.io;

import io.ehbeam.transforms.connect.KafkaEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * The newest records of a hub, read without a consumer group (nothing is committed): what a job
 * looks at before it starts, to learn the shape of the events.
 */
public final class HubSample {
  private HubSample() {}

  /** Up to {@code max} of the newest values, spread over the partitions; what arrives within {@code timeout}. */
  public static List<byte[]> newestValues(KafkaEndpoint endpoint, int max, Duration timeout) {
    String topic = endpoint.requireTopic("--inputTopic");
    List<byte[]> values = new ArrayList<>();
    Map<TopicPartition, long[]> range;
    try (HubAdmin admin = HubAdmin.connect(endpoint)) {
      range = admin.offsetRange(topic);
    }
    List<TopicPartition> partitions = new ArrayList<>(range.keySet());
    Map<TopicPartition, Long> end = new HashMap<>();
    range.forEach((tp, r) -> end.put(tp, r[1]));
    try (Consumer<byte[], byte[]> consumer = endpoint.newConsumer(null)) {
      consumer.assign(partitions);
      long perPartition = Math.max(1, max / Math.max(1, partitions.size()));
      for (TopicPartition tp : partitions) {
        consumer.seek(tp, Math.max(range.get(tp)[0], end.get(tp) - perPartition));
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      while (values.size() < max && System.nanoTime() < deadline
          && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition())) && values.size() < max) {
            values.add(r.value());
          }
        }
      }
    } catch (KafkaException e) {
      throw HubAdmin.HubException.of(endpoint, "cannot read a sample of " + topic, e);
    }
    return values;
  }
}
