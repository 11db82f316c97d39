package io.ehbeam.transforms.io;

import io.ehbeam.transforms.options.Choice;

import io.ehbeam.transforms.json.EventDocument;
import io.ehbeam.transforms.json.JsonFields;
import java.io.Serializable;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.io.kafka.CustomTimestampPolicyWithLimitedDelay;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Where a record's event time comes from, and how far behind the newest event time the watermark
 * stays.
 *
 * <p>Event Hubs stamps every record with its enqueue time unless a hub is set to CreateTime, so the
 * broker timestamp of a replayed 2023 reading is the day it was replayed. Jobs that reason about when
 * something happened therefore take the time from the event itself ({@link Source#PAYLOAD}); the
 * broker time ({@link Source#BROKER}) is for what is about arrival, as the archive's windows are.
 *
 * <p>The watermark of each partition trails its newest event time by {@code maxOutOfOrder}; a
 * partition that is caught up (nothing left to read) lets its watermark follow the clock instead,
 * so an idle partition never holds the job's windows open (Beam's {@link
 * CustomTimestampPolicyWithLimitedDelay}). A record whose own time is missing or unreadable gets the
 * partition's newest event time so far (the broker time before any), never moving the watermark:
 * the job dead-letters it with the reason.
 */
public final class EventTime implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Which clock a job's event time follows ({@code --eventTime}). */
  public enum Source implements Choice.Word {
    /** The time written in the event ({@code time} of a reading, {@code createdAt} of a device event). */
    PAYLOAD,
    /** The record timestamp: the enqueue time on Event Hubs (AppendTime), the producer's on a CreateTime hub. */
    BROKER;

    @Override
    public String toString() {
      return Choice.spelled(this);
    }
  }

  private final Source source;
  private final String field;
  private final Duration maxOutOfOrder;

  private EventTime(Source source, String field, Duration maxOutOfOrder) {
    this.source = source;
    this.field = field;
    this.maxOutOfOrder = maxOutOfOrder;
  }

  /** The record timestamp. */
  public static EventTime broker(Duration maxOutOfOrder) {
    return new EventTime(Source.BROKER, null, maxOutOfOrder);
  }

  /** The top-level field {@code field} of a JSON event: ISO-8601 (local taken as UTC) or epoch millis. */
  public static EventTime payload(String field, Duration maxOutOfOrder) {
    return new EventTime(Source.PAYLOAD, field, maxOutOfOrder);
  }

  /** {@link #payload} or {@link #broker}, as {@code source} says. */
  public static EventTime of(Source source, String payloadField, Duration maxOutOfOrder) {
    return source == Source.PAYLOAD ? payload(payloadField, maxOutOfOrder) : broker(maxOutOfOrder);
  }

  public Source source() {
    return source;
  }

  public Duration maxOutOfOrder() {
    return maxOutOfOrder;
  }

  /** The record's event time, if it has a readable one. */
  public Optional<Instant> of(KafkaRecord<byte[], byte[]> record) {
    if (source == Source.BROKER) {
      return Optional.of(new Instant(record.getTimestamp()));
    }
    try {
      String text = EventDocument.scan(record.getKV().getValue(), Set.of(), field).capturedValue();
      return Optional.of(new Instant(JsonFields.dateTimeMillis(field, text)));
    } catch (EventDocument.InvalidEventException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The record's event time, else its broker time: for reads whose watermark does not move until they end. */
  public Instant orBrokerTime(KafkaRecord<byte[], byte[]> record) {
    return of(record).orElseGet(() -> new Instant(record.getTimestamp()));
  }

  /** Per-partition timestamps and watermarks for KafkaIO. */
  public TimestampPolicyFactory<byte[], byte[]> policyFactory() {
    return (partition, previousWatermark) -> new Policy(this, previousWatermark);
  }

  @Override
  public String toString() {
    return source == Source.PAYLOAD
        ? "event time from '" + field + "' (up to " + maxOutOfOrder.getStandardSeconds() + " s out of order)"
        : "event time = broker time (up to " + maxOutOfOrder.getStandardSeconds() + " s out of order)";
  }

  private static final class Policy extends TimestampPolicy<byte[], byte[]> {
    private final EventTime eventTime;
    /** Keeps the watermark rule; sees only readable times (MIN for the others never moves it). */
    private final CustomTimestampPolicyWithLimitedDelay<byte[], byte[]> bounded;
    private Instant newest = BoundedWindow.TIMESTAMP_MIN_VALUE;

    Policy(EventTime eventTime, Optional<Instant> previousWatermark) {
      this.eventTime = eventTime;
      this.bounded = new CustomTimestampPolicyWithLimitedDelay<>(
          record -> eventTime.of(record).orElse(BoundedWindow.TIMESTAMP_MIN_VALUE),
          eventTime.maxOutOfOrder, previousWatermark);
    }

    @Override
    public Instant getTimestampForRecord(PartitionContext context, KafkaRecord<byte[], byte[]> record) {
      Instant t = bounded.getTimestampForRecord(context, record);
      if (t.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE)) {
        newest = t.isAfter(newest) ? t : newest;
        return t;
      }
      return newest.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE) ? newest : new Instant(record.getTimestamp());
    }

    @Override
    public Instant getWatermark(PartitionContext context) {
      return bounded.getWatermark(context);
    }
  }
}
