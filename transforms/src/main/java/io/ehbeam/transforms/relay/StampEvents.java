package io.ehbeam.transforms.relay;

import io.ehbeam.transforms.deadletter.DeadLetter;
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
  static final String STEP = "StampEvents";

  private final int maxEventBytes;

  /** @param maxEventBytes largest key + value the output accepts; bigger events are dead letters */
  public StampEvents(int maxEventBytes) {
    this.maxEventBytes = maxEventBytes;
  }

  public static KvCoder<byte[], byte[]> eventCoder() {
    return KvCoder.of(NullableCoder.of(ByteArrayCoder.of()), ByteArrayCoder.of());
  }

  @Override
  public PCollectionTuple expand(PCollection<KafkaRecord<byte[], byte[]>> records) {
    PCollectionTuple result =
        records.apply(
            "Stamp",
            ParDo.of(new StampFn(maxEventBytes))
                .withOutputTags(EVENTS, TupleTagList.of(DEAD_LETTERS)));
    result.get(EVENTS).setCoder(eventCoder());
    result.get(DEAD_LETTERS).setCoder(SerializableCoder.of(DeadLetter.class));
    return result;
  }

  static final class StampFn extends DoFn<KafkaRecord<byte[], byte[]>, KV<byte[], byte[]>> {
    private final int maxEventBytes;

    StampFn(int maxEventBytes) {
      this.maxEventBytes = maxEventBytes;
    }

    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> record, MultiOutputReceiver out) {
      byte[] key = record.getKV().getKey();
      byte[] value = record.getKV().getValue();
      byte[] stamped;
      try {
        stamped =
            EventStamper.stamp(value, record.getTimestamp(), System.currentTimeMillis(), null).value();
      } catch (InvalidEventException e) {
        out.get(DEAD_LETTERS).output(DeadLetter.of(record, STEP, e.getMessage()));
        return;
      }
      int size = stamped.length + (key == null ? 0 : key.length);
      if (size > maxEventBytes) {
        out.get(DEAD_LETTERS)
            .output(
                DeadLetter.of(
                    record,
                    STEP,
                    "too large: " + size + " bytes once stamped, the output accepts at most "
                        + maxEventBytes));
        return;
      }
      out.get(EVENTS).output(KV.of(key, stamped));
    }
  }
}
