package io.ehbeam.transforms.relay;

import io.ehbeam.transforms.deadletter.DeadLetter;
import io.ehbeam.transforms.deadletter.WriteDeadLetters;
import io.ehbeam.transforms.io.WriteThenCommit;
import io.ehbeam.transforms.io.WriteToHub;
import io.ehbeam.transforms.json.EventDocument.InvalidEventException;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Stamps each JSON event with {@code enqueuedAt} (its broker timestamp: when Event Hubs received
 * it) and {@code processedAt} (now), keeping its key and every other byte. Records that are not a
 * JSON object, or that would exceed the output's size limit once stamped, go to {@link
 * #DEAD_LETTERS} with the reason.
 */
public final class StampEvents
    extends PTransform<PCollection<KafkaRecord<byte[], byte[]>>, PCollectionTuple> {
  public static final TupleTag<KV<byte[], byte[]>> EVENTS = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};
  /**
   * With {@link #routedWithPositions}: events and dead letters as the records their hubs get, each
   * with the input partition and offset it came from (for {@link WriteThenCommit}). Dead letters
   * are also on {@link #DEAD_LETTERS}, to be counted, not written again.
   */
  public static final TupleTag<KV<KV<Integer, Long>, ProducerRecord<byte[], byte[]>>> POSITIONED_RECORDS =
      new TupleTag<>() {};
  static final String STEP = "StampEvents";

  private final int maxEventBytes;
  /** With {@link #routedWithPositions}: the output and dead-letter topics; null otherwise. */
  private final String outputTopic;
  private final String deadLetterTopic;

  /** @param maxEventBytes largest key + value the output accepts; bigger events are dead letters */
  public StampEvents(int maxEventBytes) {
    this(maxEventBytes, null, null);
  }

  private StampEvents(int maxEventBytes, String outputTopic, String deadLetterTopic) {
    this.maxEventBytes = maxEventBytes;
    this.outputTopic = outputTopic;
    this.deadLetterTopic = deadLetterTopic;
  }

  /**
   * Stamped events (for {@code outputTopic}) and dead letters (for {@code deadLetterTopic}) on
   * {@link #POSITIONED_RECORDS} instead of {@link #EVENTS}, in input order: what a job that commits
   * its input only after writing hands to {@link WriteThenCommit}.
   */
  public StampEvents routedWithPositions(String outputTopic, String deadLetterTopic) {
    return new StampEvents(maxEventBytes, outputTopic, deadLetterTopic);
  }

  /**
   * Events and dead letters as the records their hubs get (stamped events to {@code outputTopic},
   * dead letters described for {@code deadLetterTopic}), on one output: a step with one output chains
   * into the write on every runner, where two outputs are split apart again downstream (Flink's
   * batch mode sends each element through its serializer to do so; Spark caches them all).
   */
  public static Routed routed(int maxEventBytes, String outputTopic, String deadLetterTopic) {
    return new Routed(maxEventBytes, outputTopic, deadLetterTopic);
  }

  /** See {@link #routed}. */
  public static final class Routed
      extends PTransform<PCollection<KafkaRecord<byte[], byte[]>>, PCollection<ProducerRecord<byte[], byte[]>>> {
    private final int maxEventBytes;
    private final String outputTopic;
    private final String deadLetterTopic;

    Routed(int maxEventBytes, String outputTopic, String deadLetterTopic) {
      this.maxEventBytes = maxEventBytes;
      this.outputTopic = outputTopic;
      this.deadLetterTopic = deadLetterTopic;
    }

    @Override
    public PCollection<ProducerRecord<byte[], byte[]>> expand(PCollection<KafkaRecord<byte[], byte[]>> records) {
      return records
          .apply("Stamp", ParDo.of(new RoutedStampFn(maxEventBytes, outputTopic, deadLetterTopic)))
          .setCoder(WriteToHub.recordCoder());
    }
  }

  public static KvCoder<byte[], byte[]> eventCoder() {
    return KvCoder.of(NullableCoder.of(ByteArrayCoder.of()), ByteArrayCoder.of());
  }

  @Override
  public PCollectionTuple expand(PCollection<KafkaRecord<byte[], byte[]>> records) {
    PCollectionTuple result =
        records.apply(
            "Stamp",
            ParDo.of(new StampFn(maxEventBytes, outputTopic, deadLetterTopic))
                .withOutputTags(EVENTS, TupleTagList.of(DEAD_LETTERS).and(POSITIONED_RECORDS)));
    result.get(EVENTS).setCoder(eventCoder());
    result.get(DEAD_LETTERS).setCoder(SerializableCoder.of(DeadLetter.class));
    result.get(POSITIONED_RECORDS).setCoder(WriteThenCommit.coder());
    return result;
  }

  /** What both stamping steps share: the size limit, the topics, stamping or dead-lettering one record. */
  abstract static class StampingFn<OutputT> extends DoFn<KafkaRecord<byte[], byte[]>, OutputT> {
    final int maxEventBytes;
    /** Null for the plain two-output step. */
    final String outputTopic;
    final String deadLetterTopic;

    StampingFn(int maxEventBytes, String outputTopic, String deadLetterTopic) {
      this.maxEventBytes = maxEventBytes;
      this.outputTopic = outputTopic;
      this.deadLetterTopic = deadLetterTopic;
    }

    /** The stamped value, or null with the record handed to {@code deadLetter} with the reason. */
    final byte[] stampOrDeadLetter(KafkaRecord<byte[], byte[]> record, java.util.function.Consumer<DeadLetter> deadLetter) {
      byte[] key = record.getKV().getKey();
      byte[] stamped;
      try {
        stamped = EventStamper.stamp(record.getKV().getValue(), record.getTimestamp(), System.currentTimeMillis(), null)
            .value();
      } catch (InvalidEventException e) {
        deadLetter.accept(DeadLetter.of(record, STEP, e.getMessage()));
        return null;
      }
      int size = stamped.length + (key == null ? 0 : key.length);
      if (size > maxEventBytes) {
        deadLetter.accept(DeadLetter.of(record, STEP,
            "too large: " + size + " bytes once stamped, the output accepts at most " + maxEventBytes));
        return null;
      }
      return stamped;
    }
  }

  static final class StampFn extends StampingFn<KV<byte[], byte[]>> {
    StampFn(int maxEventBytes, String outputTopic, String deadLetterTopic) {
      super(maxEventBytes, outputTopic, deadLetterTopic);
    }

    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> record, MultiOutputReceiver out) {
      byte[] stamped = stampOrDeadLetter(record, d -> deadLetter(d, record, out));
      if (stamped == null) {
        return;
      }
      byte[] key = record.getKV().getKey();
      if (outputTopic == null) {
        out.get(EVENTS).output(KV.of(key, stamped));
      } else {
        out.get(POSITIONED_RECORDS).output(KV.of(position(record), new ProducerRecord<>(outputTopic, key, stamped)));
      }
    }

    private void deadLetter(DeadLetter d, KafkaRecord<byte[], byte[]> record, MultiOutputReceiver out) {
      out.get(DEAD_LETTERS).output(d);
      if (outputTopic != null) {
        out.get(POSITIONED_RECORDS).output(KV.of(position(record), WriteDeadLetters.describe(deadLetterTopic, d)));
      }
    }

    private static KV<Integer, Long> position(KafkaRecord<byte[], byte[]> record) {
      return KV.of(record.getPartition(), record.getOffset());
    }
  }

  static final class RoutedStampFn extends StampingFn<ProducerRecord<byte[], byte[]>> {
    RoutedStampFn(int maxEventBytes, String outputTopic, String deadLetterTopic) {
      super(maxEventBytes, outputTopic, deadLetterTopic);
    }

    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> record, OutputReceiver<ProducerRecord<byte[], byte[]>> out) {
      byte[] stamped = stampOrDeadLetter(record, d -> out.output(WriteDeadLetters.describe(deadLetterTopic, d)));
      if (stamped != null) {
        out.output(new ProducerRecord<>(outputTopic, record.getKV().getKey(), stamped));
      }
    }
  }
}
