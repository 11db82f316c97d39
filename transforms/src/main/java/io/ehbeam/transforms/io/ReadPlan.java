package io.ehbeam.transforms.io;

import io.ehbeam.transforms.connect.KafkaEndpoint;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * What a {@code --stopAtEnd} job reads: per partition, from where the consumer group stands (or the
 * start offset policy) to the end offset seen when the job starts. Records produced later are left
 * for the next run. After the job succeeds, {@link #commit} moves the group to those end offsets.
 *
 * <p>Each partition is read by its own bounded read of exactly {@code end - start} records: KafkaIO's
 * {@code withMaxNumRecords} splits its count evenly over partitions and never finishes when they are
 * uneven, so it is only ever given one partition here. Offsets equal record counts for topics
 * without transactions or compaction, which is what Event Hubs and our producers give.
 */
public final class ReadPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One partition's share: read {@code end - start} records starting at {@code start}. */
  public record Range(TopicPartition partition, long start, long end) implements Serializable {
    private static final long serialVersionUID = 1L;

    public long count() {
      return Math.max(0, end - start);
    }

    @Override
    public String toString() {
      return partition + "[" + start + ".." + end + ")";
    }
  }

  private final String consumerGroup;
  private final List<Range> ranges;

  private ReadPlan(String consumerGroup, List<Range> ranges) {
    this.consumerGroup = consumerGroup;
    this.ranges = Collections.unmodifiableList(ranges);
  }

  /** Looks at the topic now: committed offsets of {@code consumerGroup}, else {@code autoOffsetReset}. */
  public static ReadPlan capture(KafkaEndpoint endpoint, String consumerGroup, String autoOffsetReset) {
    String topic = endpoint.requireTopic("--inputTopic");
    int partitions;
    try (HubAdmin admin = HubAdmin.connect(endpoint)) {
      partitions = admin.requireTopic(topic, "Input");
    }
    List<TopicPartition> tps = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      tps.add(new TopicPartition(topic, p));
    }
    try (Consumer<byte[], byte[]> consumer = endpoint.newConsumer(consumerGroup)) {
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps, HubAdmin.TIMEOUT);
      Map<TopicPartition, Long> end = consumer.endOffsets(tps, HubAdmin.TIMEOUT);
      Map<TopicPartition, OffsetAndMetadata> committed =
          consumer.committed(new java.util.HashSet<>(tps), HubAdmin.TIMEOUT);
      List<Range> ranges = new ArrayList<>();
      for (TopicPartition tp : tps) {
        long first = begin.get(tp);
        long last = end.get(tp);
        OffsetAndMetadata c = committed.get(tp);
        long start;
        if (c != null && c.offset() >= first && c.offset() <= last) {
          start = c.offset();
        } else {
          start = "latest".equals(autoOffsetReset) ? last : first;
        }
        ranges.add(new Range(tp, start, last));
      }
      return new ReadPlan(consumerGroup, ranges);
    } catch (KafkaException e) {
      throw HubAdmin.HubException.of(endpoint, "cannot read offsets of '" + topic + "'", e);
    }
  }

  public List<Range> ranges() {
    return ranges;
  }

  public long totalRecords() {
    return ranges.stream().mapToLong(Range::count).sum();
  }

  /** Moves the consumer group to the plan's end offsets: call only after the job succeeded. */
  public void commit(KafkaEndpoint endpoint) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
    for (Range r : ranges) {
      offsets.put(r.partition, new OffsetAndMetadata(r.end));
    }
    try (Consumer<byte[], byte[]> consumer = endpoint.newConsumer(consumerGroup)) {
      consumer.assign(offsets.keySet());
      consumer.commitSync(offsets, HubAdmin.TIMEOUT);
    } catch (KafkaException e) {
      throw HubAdmin.HubException.of(endpoint, "cannot commit offsets of group " + consumerGroup, e);
    }
  }

  @Override
  public String toString() {
    return "ReadPlan{group=" + consumerGroup + ", " + ranges + "}";
  }
}
