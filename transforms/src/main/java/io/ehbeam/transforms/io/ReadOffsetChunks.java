package io.ehbeam.transforms.io;

import io.ehbeam.transforms.connect.KafkaEndpoint;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A {@link ReadPlan} read as chunks of offsets handed to a plain DoFn: each chunk is one element,
 * read start to end by one consumer. No splittable-DoFn bookkeeping per bundle (on the
 * DirectRunner it checkpoints every 100 records) and no flatten of per-partition sources; a
 * partition's chunks are read side by side, so a plan of two partitions still keeps every worker busy.
 * Within a partition, records come in offset order per chunk, not across chunks: what needs the
 * hub's order reads with another {@link ReadFromHub.PlannedRead}.
 *
 * <pre>
 *   PlannedChunks ─▶ SpreadChunks ─▶ ReadChunk
 * </pre>
 */
final class ReadOffsetChunks extends PTransform<PBegin, PCollection<KafkaRecord<byte[], byte[]>>> {
  /**
   * Records per chunk. A runner may keep a chunk's output until the chunk ends (about 13 MB of 1 KB
   * events), times the chunks read at once; a plan of 1M events is 100 chunks to spread.
   */
  static final long CHUNK_RECORDS = 10_000;
  /** How long a chunk may get nothing from the hub before the read fails (records gone to retention). */
  static final Duration STALLED = Duration.ofMinutes(2);

  private final KafkaEndpoint endpoint;
  private final ReadPlan plan;
  private final EventTime eventTime;

  ReadOffsetChunks(KafkaEndpoint endpoint, ReadPlan plan, EventTime eventTime) {
    this.endpoint = endpoint;
    this.plan = plan;
    this.eventTime = eventTime;
  }

  /** Offsets {@code [start, end)} of one partition. */
  record Chunk(String topic, int partition, long start, long end) implements Serializable {}

  static List<Chunk> chunks(ReadPlan plan, long size) {
    List<Chunk> chunks = new ArrayList<>();
    for (ReadPlan.Range range : plan.ranges()) {
      for (long start = range.start(); start < range.end(); start += size) {
        chunks.add(new Chunk(range.partition().topic(), range.partition().partition(), start, Math.min(range.end(), start + size)));
      }
    }
    return chunks;
  }

  @Override
  public PCollection<KafkaRecord<byte[], byte[]>> expand(PBegin input) {
    return input
        .apply("PlannedChunks", Create.of(chunks(plan, CHUNK_RECORDS)).withCoder(SerializableCoder.of(Chunk.class)))
        .apply("SpreadChunks", Reshuffle.viaRandomKey())
        .apply("ReadChunk", ParDo.of(new ReadChunkFn(endpoint, eventTime)))
        .setCoder(ReadFromHub.coder());
  }

  static final class ReadChunkFn extends DoFn<Chunk, KafkaRecord<byte[], byte[]>> {
    private final KafkaEndpoint endpoint;
    private final EventTime eventTime;
    private transient Consumer<byte[], byte[]> consumer;

    ReadChunkFn(KafkaEndpoint endpoint, EventTime eventTime) {
      this.endpoint = endpoint;
      this.eventTime = eventTime;
    }

    @Setup
    public void setup() {
      consumer = endpoint.newConsumer(null); // assigned, not subscribed: the plan commits the group
    }

    @Teardown
    public void teardown() {
      if (consumer != null) {
        consumer.close();
      }
    }

    @ProcessElement
    public void process(@Element Chunk chunk, OutputReceiver<KafkaRecord<byte[], byte[]>> out) {
      TopicPartition tp = new TopicPartition(chunk.topic(), chunk.partition());
      consumer.assign(List.of(tp));
      consumer.seek(tp, chunk.start());
      long lastProgress = System.nanoTime();
      // The position, not the last record's offset: it steps over transaction markers too.
      while (consumer.position(tp) < chunk.end()) {
        boolean got = false;
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500)).records(tp)) {
          if (r.offset() >= chunk.end()) {
            break;
          }
          got = true;
          KafkaRecord<byte[], byte[]> record = new KafkaRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(),
              KafkaTimestampType.forOrdinal(r.timestampType().ordinal()), r.headers(), r.key(), r.value());
          out.outputWithTimestamp(record, eventTime.orBrokerTime(record));
        }
        if (got) {
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress > STALLED.toNanos()) {
          throw new IllegalStateException("the hub returned nothing of " + tp + " at offset " + consumer.position(tp)
              + " for " + STALLED.toMinutes() + " minutes, planned up to " + chunk.end()
              + " (deleted by retention since the plan was made?)");
        }
      }
    }
  }
}
