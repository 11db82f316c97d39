package io.ehbeam.pipelines.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.transforms.aggregate.AggregateEvents;
import io.ehbeam.transforms.aggregate.Aggregation;
import io.ehbeam.transforms.io.ReadFromHub;
import io.ehbeam.transforms.testing.Records;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A reading later than the aggregate's allowed lateness is dropped by Beam's windowing, not by our
 * code: the job's report still counts it ({@code droppedLate}), so nothing goes missing unnumbered.
 */
class DroppedLateCountTest {
  static TimestampedValue<KafkaRecord<byte[], byte[]>> reading(String time, double temperature) {
    Instant at = Instant.parse(time + ":00Z");
    String json = "{\"latitude\":51.5,\"longitude\":-0.25,\"time\":\"" + time + "\",\"temperature_2m\":" + temperature
        + ",\"city\":\"London\",\"elevation\":11.0}";
    return TimestampedValue.of(Records.record(0, at.getMillis(), "London", json), at);
  }

  @Test
  void readingsTooLateForTheWindowingAreCountedInTheReport() {
    TestStream<KafkaRecord<byte[], byte[]>> stream = TestStream.create(ReadFromHub.coder())
        .advanceWatermarkTo(Instant.parse("2023-01-01T00:00:00Z"))
        .addElements(reading("2023-01-05T12:00", 10.0))
        .advanceWatermarkTo(Instant.parse("2023-02-01T02:00:00Z")) // January closed an hour ago
        .addElements(reading("2023-01-31T23:00", 20.0), reading("2023-01-20T08:00", 5.0)) // too late
        .addElements(reading("2023-02-01T01:00", 3.0)) // February, on time
        .advanceWatermarkToInfinity();
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    pipeline.apply(stream).apply(new AggregateEvents(Aggregation.of(Aggregation.Preset.TEMPERATURES, Aggregation.Period.MONTH, "UTC"),
        Duration.standardSeconds(10), Duration.standardHours(1), false));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertThat(Jobs.counters(result)).containsEntry("aggregated", 4L).containsEntry(Jobs.DROPPED_LATE, 2L);
  }
}
