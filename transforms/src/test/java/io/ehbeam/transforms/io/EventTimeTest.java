package io.ehbeam.transforms.io;

import static io.ehbeam.transforms.testing.Records.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ehbeam.transforms.options.Choice;
import java.util.Optional;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class EventTimeTest {
  private static final long ENQUEUED = Instant.parse("2026-12-01T10:00:00Z").getMillis();
  private static final EventTime READING_TIME = EventTime.payload("time", Duration.standardSeconds(60));

  /** A partition with {@code backlog} records left to read, checked at {@code now}. */
  private static TimestampPolicy.PartitionContext partition(long backlog, Instant now) {
    return new TimestampPolicy.PartitionContext() {
      @Override
      public long getMessageBacklog() {
        return backlog;
      }

      @Override
      public Instant getBacklogCheckTime() {
        return now;
      }
    };
  }

  @Test
  void takesTheTimeWrittenInTheEventNotTheEnqueueTime() {
    assertThat(READING_TIME.of(record(0, ENQUEUED, "Paris", "{\"time\":\"2023-01-05T17:00\",\"temperature_2m\":1.5}")))
        .contains(Instant.parse("2023-01-05T17:00:00Z"));
    assertThat(READING_TIME.of(record(0, ENQUEUED, "Paris", "{\"time\":\"2023-01-05T17:00:00+01:00\"}")))
        .contains(Instant.parse("2023-01-05T16:00:00Z"));
    assertThat(EventTime.broker(Duration.ZERO).of(record(0, ENQUEUED, "Paris", "{\"time\":\"2023-01-05T17:00\"}")))
        .contains(new Instant(ENQUEUED));
  }

  @Test
  void anEventWithoutAReadableTimeHasNone() {
    assertThat(READING_TIME.of(record(0, ENQUEUED, "k", "{\"time\":\"yesterday\"}"))).isEmpty();
    assertThat(READING_TIME.of(record(0, ENQUEUED, "k", "{\"temperature_2m\":1.5}"))).isEmpty();
    assertThat(READING_TIME.of(record(0, ENQUEUED, "k", "[1,2]"))).isEmpty();
    assertThat(READING_TIME.of(record(0, ENQUEUED, "k", null))).isEmpty();
    assertThat(READING_TIME.orBrokerTime(record(0, ENQUEUED, "k", "not json"))).isEqualTo(new Instant(ENQUEUED));
  }

  @Test
  void theWatermarkTrailsTheNewestEventTimeAndABrokenEventNeverMovesIt() {
    TimestampPolicy<byte[], byte[]> policy = READING_TIME.policyFactory().createTimestampPolicy(null, Optional.empty());
    Instant now = new Instant(ENQUEUED);
    TimestampPolicy.PartitionContext reading = partition(100, now);

    // A broken event before any good one: the broker time, and no watermark yet.
    assertThat(policy.getTimestampForRecord(reading, record(0, ENQUEUED, "k", "{}"))).isEqualTo(now);
    assertThat(policy.getWatermark(reading)).isEqualTo(BoundedWindow.TIMESTAMP_MIN_VALUE);

    assertThat(policy.getTimestampForRecord(reading, record(1, ENQUEUED, "k", "{\"time\":\"2023-03-01T10:00\"}")))
        .isEqualTo(Instant.parse("2023-03-01T10:00:00Z"));
    assertThat(policy.getTimestampForRecord(reading, record(2, ENQUEUED, "k", "{\"time\":\"2023-03-01T09:30\"}")))
        .isEqualTo(Instant.parse("2023-03-01T09:30:00Z"));
    assertThat(policy.getWatermark(reading)).isEqualTo(Instant.parse("2023-03-01T09:59:00Z"));

    // A broken event after good ones: the newest event time, and the watermark stays.
    assertThat(policy.getTimestampForRecord(reading, record(3, ENQUEUED, "k", "{\"time\":null}")))
        .isEqualTo(Instant.parse("2023-03-01T10:00:00Z"));
    assertThat(policy.getWatermark(reading)).isEqualTo(Instant.parse("2023-03-01T09:59:00Z"));

    // Caught up (an idle partition): the watermark follows the clock, so old periods can close.
    assertThat(policy.getWatermark(partition(0, now))).isEqualTo(now.minus(Duration.standardSeconds(60)));
  }

  @Test
  void theCommandLineNamesTheSourceInAnyCase() {
    assertThat(Choice.parse(EventTime.Source.class, "payload")).isEqualTo(EventTime.Source.PAYLOAD);
    assertThat(Choice.parse(EventTime.Source.class, " Broker ")).isEqualTo(EventTime.Source.BROKER);
    assertThatThrownBy(() -> Choice.parse(EventTime.Source.class, "enqueue"))
        .hasMessage("'enqueue' is not one of payload, broker");
  }
}
