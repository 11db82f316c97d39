package io.ehbeam.transforms.deadletter;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.io.kafka.KafkaRecord;

/**
 * A record a pipeline could not process: its original key and bytes, where it came from, which step
 * refused it and why. Dead letters are rare, so plain Java serialization is their coder.
 */
public final class DeadLetter implements Serializable {
  private static final long serialVersionUID = 1L;

  private final byte[] key;
  private final byte[] value;
  private final String reason;
  private final String step;
  private final String sourceTopic;
  private final int sourcePartition;
  private final long sourceOffset;
  private final long sourceTimestampMillis;

  public DeadLetter(
      byte[] key,
      byte[] value,
      String reason,
      String step,
      String sourceTopic,
      int sourcePartition,
      long sourceOffset,
      long sourceTimestampMillis) {
    this.key = key;
    this.value = value;
    this.reason = Objects.requireNonNull(reason, "reason");
    this.step = Objects.requireNonNull(step, "step");
    this.sourceTopic = sourceTopic;
    this.sourcePartition = sourcePartition;
    this.sourceOffset = sourceOffset;
    this.sourceTimestampMillis = sourceTimestampMillis;
  }

  /** A record read from a hub, refused by {@code step} for {@code reason}. */
  public static DeadLetter of(KafkaRecord<byte[], byte[]> record, String step, String reason) {
    return new DeadLetter(
        record.getKV().getKey(),
        record.getKV().getValue(),
        reason,
        step,
        record.getTopic(),
        record.getPartition(),
        record.getOffset(),
        record.getTimestamp());
  }

  /** A line (or document) of a file, refused by {@code step} for {@code reason}. */
  public static DeadLetter ofFileLine(String file, long lineNumber, byte[] bytes, String step, String reason) {
    return new DeadLetter(null, bytes, reason, step, file, -1, lineNumber, -1L);
  }

  public byte[] key() {
    return key;
  }

  public byte[] value() {
    return value;
  }

  public String reason() {
    return reason;
  }

  public String step() {
    return step;
  }

  public String sourceTopic() {
    return sourceTopic;
  }

  public int sourcePartition() {
    return sourcePartition;
  }

  public long sourceOffset() {
    return sourceOffset;
  }

  public long sourceTimestampMillis() {
    return sourceTimestampMillis;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DeadLetter)) {
      return false;
    }
    DeadLetter d = (DeadLetter) o;
    return Arrays.equals(key, d.key)
        && Arrays.equals(value, d.value)
        && reason.equals(d.reason)
        && step.equals(d.step)
        && Objects.equals(sourceTopic, d.sourceTopic)
        && sourcePartition == d.sourcePartition
        && sourceOffset == d.sourceOffset
        && sourceTimestampMillis == d.sourceTimestampMillis;
  }

  @Override
  public int hashCode() {
    return Objects.hash(reason, sourceTopic, sourcePartition, sourceOffset);
  }

  @Override
  public String toString() {
    return "DeadLetter{" + step + ": " + reason + " @ " + sourceTopic + "/" + sourcePartition + "@"
        + sourceOffset + "}";
  }
}
