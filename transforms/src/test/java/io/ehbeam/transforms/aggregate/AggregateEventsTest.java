package io.ehbeam.transforms.aggregate;

import io.ehbeam.transforms.deadletter.DeadLetter;
import io.ehbeam.transforms.io.ReadFromHub;
import io.ehbeam.transforms.testing.Records;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

public class AggregateEventsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  static final Aggregation MONTHLY = Aggregation.of(Aggregation.Preset.TEMPERATURES, Aggregation.Period.MONTH, "UTC");
  static final IntervalWindow JANUARY = new IntervalWindow(Instant.parse("2023-01-01T00:00:00Z"), Instant.parse("2023-02-01T00:00:00Z"));
  static final IntervalWindow FEBRUARY = new IntervalWindow(Instant.parse("2023-02-01T00:00:00Z"), Instant.parse("2023-03-01T00:00:00Z"));

  static TimestampedValue<KafkaRecord<byte[], byte[]>> reading(String time, double temperature) {
    Instant at = Instant.parse(time + ":00Z");
    String json = "{\"latitude\":51.5,\"longitude\":-0.25,\"time\":\"" + time + "\",\"temperature_2m\":" + temperature
        + ",\"city\":\"London\",\"elevation\":11.0}";
    return TimestampedValue.of(Records.record(0, at.getMillis(), "London", json), at);
  }

  static String row(int month, long count, double min, double max, double mean, String timing, boolean last) {
    return "{\"city\":\"London\",\"latitude\":51.5,\"longitude\":-0.25,\"year\":2023,\"month\":" + month
        + ",\"count\":" + count + ",\"min\":" + min + ",\"max\":" + max + ",\"mean\":" + mean
        + ",\"timing\":\"" + timing + "\",\"final\":" + last + "}";
  }

  /** The rows as the jobs write them: JSON objects, fields in schema order. */
  static PCollection<String> jsonRows(PCollectionTuple out) {
    return out.get(AggregateEvents.ROWS).apply(RowsAsJson.of()).apply(Values.create());
  }

  @Test
  public void earlyOnTimeAndLatePanesCarryRunningThenCorrectedResults() {
    TestStream<KafkaRecord<byte[], byte[]>> stream =
        TestStream.create(ReadFromHub.coder())
            .advanceWatermarkTo(Instant.parse("2023-01-01T00:00:00Z"))
            .addElements(reading("2023-01-05T12:00", 10.0), reading("2023-01-10T12:00", 12.0))
            .advanceProcessingTime(Duration.standardSeconds(11))
            .addElements(reading("2023-01-20T12:00", 8.0))
            .advanceWatermarkTo(Instant.parse("2023-02-01T06:00:00Z"))
            .addElements(reading("2023-01-31T23:00", 20.0)) // late, within the allowed lateness
            .advanceWatermarkToInfinity();

    PCollectionTuple out = pipeline.apply(stream)
        .apply(new AggregateEvents(MONTHLY, Duration.standardSeconds(10), Duration.standardHours(24), false));
    PCollection<String> rows = jsonRows(out);

    PAssert.that(rows).inEarlyPane(JANUARY).containsInAnyOrder(row(1, 2, 10.0, 12.0, 11.0, "EARLY", false));
    PAssert.that(rows).inOnTimePane(JANUARY).containsInAnyOrder(row(1, 3, 8.0, 12.0, 10.0, "ON_TIME", false));
    PAssert.that(rows).inFinalPane(JANUARY).containsInAnyOrder(row(1, 4, 8.0, 20.0, 12.5, "LATE", true));
    PAssert.that(out.get(AggregateEvents.DEAD_LETTERS)).empty();
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void outOfOrderReadingsGiveTheSameSingleFinalRowPerMonthAndMonthsEndAtMidnightUtc() {
    List<TimestampedValue<KafkaRecord<byte[], byte[]>>> readings = new ArrayList<>();
    readings.add(reading("2023-01-01T00:00", -3.5));
    readings.add(reading("2023-01-15T12:00", 4.0));
    readings.add(reading("2023-01-31T23:00", 7.5)); // still January in UTC
    readings.add(reading("2023-02-01T00:00", 1.0)); // February
    readings.add(reading("2023-02-14T10:00", 3.0));
    Collections.shuffle(readings, new Random(7));

    PCollectionTuple out = pipeline
        .apply(Create.timestamped(readings).withCoder(ReadFromHub.coder()))
        .apply(new AggregateEvents(MONTHLY, Duration.standardSeconds(10), Duration.ZERO, true));
    PAssert.that(jsonRows(out))
        .containsInAnyOrder(
            row(1, 3, -3.5, 7.5, 8.0 / 3, "ON_TIME", true),
            row(2, 2, 1.0, 3.0, 2.0, "ON_TIME", true));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void finerPeriodsAndOtherTimeZones() {
    Aggregation parisDays = Aggregation.of(Aggregation.Preset.TEMPERATURES, Aggregation.Period.DAY, "Europe/Paris");
    PCollectionTuple out = pipeline
        .apply(Create.timestamped(List.of(reading("2023-01-31T23:30", 5.0), reading("2023-01-31T22:30", 6.0)))
            .withCoder(ReadFromHub.coder()))
        .apply(new AggregateEvents(parisDays, Duration.standardSeconds(10), Duration.ZERO, true));
    // 23:30 UTC is 00:30 on February 1st in Paris; 22:30 UTC is still January 31st there
    PAssert.that(jsonRows(out)).containsInAnyOrder(
        "{\"city\":\"London\",\"latitude\":51.5,\"longitude\":-0.25,\"year\":2023,\"month\":2,\"day\":1,\"count\":1,\"min\":5.0,\"max\":5.0,\"mean\":5.0,\"timing\":\"ON_TIME\",\"final\":true}",
        "{\"city\":\"London\",\"latitude\":51.5,\"longitude\":-0.25,\"year\":2023,\"month\":1,\"day\":31,\"count\":1,\"min\":6.0,\"max\":6.0,\"mean\":6.0,\"timing\":\"ON_TIME\",\"final\":true}");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void devicesPresetCountsPerTypeAndMinuteWithDistinctDevices() {
    Instant t = Instant.parse("2024-03-01T10:15:00Z");
    List<TimestampedValue<KafkaRecord<byte[], byte[]>>> events = new ArrayList<>();
    double[] values = {40, 50, 60, 45};
    String[] devices = {"d-1", "d-2", "d-1", "d-3"};
    for (int i = 0; i < values.length; i++) {
      Instant at = t.plus(Duration.standardSeconds(10 * i));
      events.add(TimestampedValue.of(Records.record(i, at.getMillis(), devices[i],
          "{\"eventId\":\"e" + i + "\",\"type\":\"CO2\",\"deviceId\":\"" + devices[i] + "\",\"createdAt\":\"" + at
              + "\",\"value\":" + values[i] + "}"), at));
    }
    events.add(TimestampedValue.of(Records.record(9, t.getMillis(), "d-9", "{\"type\":\"CO2\",\"deviceId\":\"d-9\",\"createdAt\":\"" + t + "\",\"value\":\"high\"}"), t));
    events.add(TimestampedValue.of(Records.record(10, t.getMillis(), "d-9", "{\"type\":\"CO2\",\"deviceId\":\"d-9\",\"value\":41}"), t));
    PCollectionTuple out = pipeline
        .apply(Create.timestamped(events).withCoder(ReadFromHub.coder()))
        .apply(new AggregateEvents(Aggregation.of(Aggregation.Preset.DEVICES, Aggregation.Period.MONTH, "UTC"), Duration.standardSeconds(10), Duration.ZERO, true));
    PAssert.that(jsonRows(out)).containsInAnyOrder(
        "{\"type\":\"CO2\",\"year\":2024,\"month\":3,\"day\":1,\"hour\":10,\"minute\":15,\"count\":4,\"min\":40.0,\"max\":60.0,\"mean\":48.75,\"distinctDevices\":3,\"timing\":\"ON_TIME\",\"final\":true}");
    PAssert.that(out.get(AggregateEvents.DEAD_LETTERS).apply(MapElements.into(TypeDescriptors.strings()).via(DeadLetter::reason)))
        .containsInAnyOrder("value is not a number", "createdAt is missing");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void badEventsAreDeadLetteredWithTheirReason() {
    Instant at = Instant.parse("2023-01-01T00:00:00Z");
    List<TimestampedValue<KafkaRecord<byte[], byte[]>>> bad = List.of(
        TimestampedValue.of(Records.record(1, at.getMillis(), "x", "not json"), at),
        TimestampedValue.of(Records.record(2, at.getMillis(), "x", "{\"latitude\":1,\"longitude\":1,\"time\":\"2023-01-01T00:00\"}"), at),
        TimestampedValue.of(Records.record(3, at.getMillis(), "x", "{\"latitude\":1,\"longitude\":1,\"time\":\"2023-01-01T00:00\",\"temperature_2m\":\"cold\"}"), at),
        TimestampedValue.of(Records.record(4, at.getMillis(), "x", "{\"latitude\":1,\"longitude\":1,\"time\":\"2023-01-01T00:00\",\"temperature_2m\":null}"), at),
        TimestampedValue.of(Records.record(5, at.getMillis(), "x", "[]"), at),
        TimestampedValue.of(Records.record(6, at.getMillis(), "x", (String) null), at));
    PCollectionTuple out = pipeline
        .apply(Create.timestamped(bad).withCoder(ReadFromHub.coder()))
        .apply(new AggregateEvents(MONTHLY, Duration.standardSeconds(10), Duration.ZERO, true));
    PAssert.that(out.get(AggregateEvents.ROWS)).empty();
    PAssert.that(out.get(AggregateEvents.DEAD_LETTERS).apply(MapElements.into(TypeDescriptors.strings())
            .via(d -> d.sourceOffset() + " " + d.reason().replaceAll("not valid JSON: .*", "not valid JSON"))))
        .containsInAnyOrder("1 not valid JSON", "2 temperature_2m is missing", "3 temperature_2m is not a number",
            "4 temperature_2m is null", "5 not a JSON object", "6 empty record");
    pipeline.run().waitUntilFinish();
  }
}
