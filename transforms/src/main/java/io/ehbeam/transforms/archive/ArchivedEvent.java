package io.ehbeam.transforms.archive;

import io.ehbeam.transforms.relay.EventStamper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One event on its way into the archive: where it came from (partition, offset, when the hub
 * received it), its event time, and the forms the requested formats need, made once when the event
 * was checked: the JSON line (the event with the archive's fields added) and the Avro record's
 * binary encoding.
 */
@DefaultSchema(JavaFieldSchema.class)
public final class ArchivedEvent implements Serializable {
  public final int partition;
  public final long offset;
  public final long enqueuedAtMillis;
  public final long eventTimeMillis;
  public final byte @Nullable [] key;
  /** The JSON line, when JSON lines are written. */
  public final byte @Nullable [] line;
  /** The Avro record in Avro's binary encoding, when Parquet or Avro files are written. */
  public final byte @Nullable [] avro;

  @SchemaCreate
  public ArchivedEvent(int partition, long offset, long enqueuedAtMillis, long eventTimeMillis,
      byte @Nullable [] key, byte @Nullable [] line, byte @Nullable [] avro) {
    this.partition = partition;
    this.offset = offset;
    this.enqueuedAtMillis = enqueuedAtMillis;
    this.eventTimeMillis = eventTimeMillis;
    this.key = key;
    this.line = line;
    this.avro = avro;
  }

  /**
   * Every archived event crosses a GroupByKey: field by field, where Java serialization (the
   * fallback Beam picked for this class) took a quarter of the Flink archive's CPU (JFR).
   */
  public static final Coder<ArchivedEvent> CODER = new ArchivedEventCoder();

  public String enqueuedAt() {
    return EventStamper.format(enqueuedAtMillis);
  }

  public String eventTime() {
    return EventStamper.format(eventTimeMillis);
  }

  /**
   * The event time in UTC, to the second: the archive's year, month, day and hour fields and
   * folders. Not {@code atZone(UTC)}: {@code ZoneOffset.getRules()} makes new rules on every call.
   */
  public java.time.LocalDateTime eventTimeUtc() {
    return java.time.LocalDateTime.ofEpochSecond(Math.floorDiv(eventTimeMillis, 1000L), 0, java.time.ZoneOffset.UTC);
  }

  /** What this event adds to a file, roughly: for rolling files at --maxFileBytes. */
  public int sizeBytes() {
    return (line == null ? 0 : line.length + 1) + (avro == null ? 0 : avro.length);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ArchivedEvent)) {
      return false;
    }
    ArchivedEvent e = (ArchivedEvent) o;
    return partition == e.partition && offset == e.offset && enqueuedAtMillis == e.enqueuedAtMillis
        && eventTimeMillis == e.eventTimeMillis && Arrays.equals(key, e.key) && Arrays.equals(line, e.line)
        && Arrays.equals(avro, e.avro);
  }

  @Override
  public int hashCode() {
    return Objects.hash(partition, offset);
  }

  private static final class ArchivedEventCoder extends CustomCoder<ArchivedEvent> {
    private static final Coder<byte[]> BYTES = NullableCoder.of(ByteArrayCoder.of());

    @Override
    public void encode(ArchivedEvent e, OutputStream out) throws IOException {
      VarInt.encode(e.partition, out);
      VarInt.encode(e.offset, out);
      VarInt.encode(e.enqueuedAtMillis, out);
      VarInt.encode(e.eventTimeMillis, out);
      BYTES.encode(e.key, out);
      BYTES.encode(e.line, out);
      BYTES.encode(e.avro, out);
    }

    @Override
    public ArchivedEvent decode(InputStream in) throws IOException {
      return new ArchivedEvent(VarInt.decodeInt(in), VarInt.decodeLong(in), VarInt.decodeLong(in), VarInt.decodeLong(in),
          BYTES.decode(in), BYTES.decode(in), BYTES.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  @Override
  public String toString() {
    return "ArchivedEvent{partition=" + partition + ", offset=" + offset + ", eventTime=" + eventTime() + "}";
  }
}
