package io.ehbeam.transforms.monitor;

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
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/**
 * The monitor's rules one by one, on {@code TestStream}s whose watermark the test moves. Alerts are
 * compared as "device kind eventId createdAt" lines written out by hand.
 */
public class MonitorDevicesTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  static final Duration SILENCE = Duration.standardSeconds(45);
  static long offsets;

  static TimestampedValue<KafkaRecord<byte[], byte[]>> event(String device, String id, String type, double value, long secondsAfterT0) {
    return eventAt(device, id, type, value, T0.plus(Duration.millis(secondsAfterT0 * 1000)));
  }

  static TimestampedValue<KafkaRecord<byte[], byte[]>> eventAt(String device, String id, String type, double value, Instant at) {
    String json = "{\"eventId\":\"" + id + "\",\"type\":\"" + type + "\",\"deviceId\":\"" + device
        + "\",\"createdAt\":\"" + at + "\",\"value\":" + value + "}";
    return TimestampedValue.of(Records.record(offsets++, at.getMillis(), device, json), at);
  }

  static TimestampedValue<KafkaRecord<byte[], byte[]>> raw(String json, long secondsAfterT0) {
    Instant at = T0.plus(Duration.standardSeconds(secondsAfterT0));
    return TimestampedValue.of(Records.record(offsets++, at.getMillis(), "bad", json), at);
  }

  static String line(String device, String kind, String id, long secondsAfterT0) {
    return device + " " + kind + " " + id + " " + T0.plus(Duration.standardSeconds(secondsAfterT0));
  }

  static PCollectionTuple monitor(PCollection<KafkaRecord<byte[], byte[]>> records, int historySize) {
    return records.apply(new MonitorDevices(historySize, SILENCE));
  }

  static PCollection<String> lines(PCollectionTuple out, String kind) {
    return out.get(MonitorDevices.ALERTS)
        .apply("Only " + kind, Filter.by(a -> kind.isEmpty() || a.getValue().kind().label.equals(kind)))
        .apply("Lines " + kind, MapElements.into(TypeDescriptors.strings()).via(a -> a.getValue().deviceId() + " "
            + a.getValue().kind().label + " " + a.getValue().eventId() + " " + new Instant(a.getValue().createdAtMillis())));
  }

  static PCollection<String> reasons(PCollectionTuple out) {
    return out.get(MonitorDevices.DEAD_LETTERS)
        .apply("Reasons", MapElements.into(TypeDescriptors.strings()).via(DeadLetter::reason));
  }

  @Test
  public void theFirstEventOfEachDeviceInEventTimeOrder() {
    TestStream<KafkaRecord<byte[], byte[]>> stream = TestStream.create(ReadFromHub.coder())
        .addElements(event("d1", "b", "TEMP", 20, 5), event("d1", "a", "TEMP", 20, 1), event("d2", "c", "CO2", 40, 3))
        .advanceWatermarkToInfinity();
    PCollectionTuple out = monitor(pipeline.apply(stream), 10);
    PAssert.that(lines(out, "first-event")).containsInAnyOrder(line("d1", "first-event", "a", 1), line("d2", "first-event", "c", 3));
    PAssert.that(out.get(MonitorDevices.DEAD_LETTERS)).empty();
    pipeline.run();
  }

  @Test
  public void twoTemperaturesInThe70sAmongTheLastEventsFireWhenTheConditionTurnsTrueAndAgainOnlyAfterItWasFalse() {
    TestStream<KafkaRecord<byte[], byte[]>> stream = TestStream.create(ReadFromHub.coder())
        .addElements(
            event("d", "e1", "TEMP", 71, 1), event("d", "e2", "TEMP", 50, 2), event("d", "e3", "TEMP", 79.9, 3), // true at e3
            event("d", "e4", "TEMP", 75, 4), // still true: no new alert
            event("d", "e5", "TEMP", 80, 5), event("d", "e6", "TEMP", 60, 6), // window of 3 = e4,e5,e6: one in 70s: false
            event("d", "e7", "TEMP", 70, 7)) // e5,e6,e7 holds one (80 is not < 80); e6,e7,e8 below
        .addElements(event("d", "e8", "TEMP", 72, 8)) // e6,e7,e8: two again: true
        .advanceWatermarkToInfinity();
    PCollectionTuple out = monitor(pipeline.apply(stream), 3);
    PAssert.that(lines(out, "several-temperatures-in-70s")).containsInAnyOrder(
        line("d", "several-temperatures-in-70s", "e3", 3), line("d", "several-temperatures-in-70s", "e8", 8));
    PAssert.that(lines(out, "high-co2-with-temperatures-in-70s")).empty();
    pipeline.run();
  }

  @Test
  public void highCo2WithTemperaturesInThe70sNeedsBothInTheSameWindow() {
    TestStream<KafkaRecord<byte[], byte[]>> stream = TestStream.create(ReadFromHub.coder())
        .addElements(
            event("d", "c1", "CO2", 85, 1), // CO2 > 80 first
            event("d", "t1", "TEMP", 72, 2), event("d", "t2", "TEMP", 73, 3), // two in the 70s with the CO2: both fire at t2
            event("d", "c2", "CO2", 80, 4), // 80 is not above 80
            event("d", "x", "TEMP", 10, 5), // window t1 t2 c2 x: CO2 high gone (false), two in the 70s still
            event("d", "t3", "TEMP", 74, 6), // t2 c2 x t3: two in the 70s still
            event("d", "c3", "CO2", 80.5, 7), // c2 x t3 c3: one in the 70s: both false
            event("d", "t4", "TEMP", 75, 8)) // x t3 c3 t4: two in the 70s and c3 above 80: both fire again
        .advanceWatermarkToInfinity();
    PCollectionTuple out = monitor(pipeline.apply(stream), 4);
    PAssert.that(lines(out, "high-co2-with-temperatures-in-70s")).containsInAnyOrder(
        line("d", "high-co2-with-temperatures-in-70s", "t2", 3), line("d", "high-co2-with-temperatures-in-70s", "t4", 8));
    PAssert.that(lines(out, "several-temperatures-in-70s")).containsInAnyOrder(
        line("d", "several-temperatures-in-70s", "t2", 3), line("d", "several-temperatures-in-70s", "t4", 8));
    pipeline.run();
  }

  @Test
  public void aSilenceOfExactlyTheThresholdIsOneAndJustUnderIsNot() {
    TestStream<KafkaRecord<byte[], byte[]>> stream = TestStream.create(ReadFromHub.coder())
        .addElements(event("d", "e1", "TEMP", 20, 0), event("d", "e2", "TEMP", 20, 45)) // exactly 45 s: a silence
        .addElements(eventAt("d", "e3", "TEMP", 20, T0.plus(Duration.millis(45_000 + 44_999)))) // 44.999 s: none
        .advanceWatermarkToInfinity(); // the end of the input closes e3's silence
    PCollectionTuple out = monitor(pipeline.apply(stream), 10);
    PAssert.that(lines(out, "no-news")).containsInAnyOrder(
        line("d", "no-news", "e1", 0),
        "d no-news e3 " + T0.plus(Duration.millis(89_999)));
    pipeline.run();
  }

  @Test
  public void theWatermarkPassingASilenceReportsItWhileStreaming() {
    // e1, then event time moves 50 s on with no news from d: the silence is reported then, and d's
    // events up to then are checked, so e2 (30 s after e1, arriving afterwards) is too late.
    TestStream<KafkaRecord<byte[], byte[]>> stream = TestStream.create(ReadFromHub.coder())
        .addElements(event("d", "e1", "TEMP", 20, 0), event("other", "o1", "CO2", 20, 1))
        .advanceWatermarkTo(T0.plus(Duration.standardSeconds(50)))
        .addElements(event("d", "e2", "TEMP", 20, 30), event("other", "o2", "CO2", 20, 60))
        .advanceWatermarkToInfinity();
    PCollectionTuple out = monitor(pipeline.apply(stream), 10);
    PAssert.that(lines(out, "")).containsInAnyOrder(
        line("d", "first-event", "e1", 0), line("d", "no-news", "e1", 0),
        line("other", "first-event", "o1", 1), line("other", "no-news", "o1", 1), line("other", "no-news", "o2", 60));
    PAssert.that(reasons(out)).containsInAnyOrder("arrived after its device's events up to " + T0.plus(Duration.standardSeconds(45))
        + " were checked: later than the watermark allows (--maxOutOfOrderSeconds)");
    pipeline.run();
  }

  /** Two devices' designed sequence: in the 70s, CO2 highs and gaps around the silence. */
  static List<TimestampedValue<KafkaRecord<byte[], byte[]>>> designed() {
    List<TimestampedValue<KafkaRecord<byte[], byte[]>>> events = new ArrayList<>();
    double[] values = {71, 85, 50, 74, 90, 77, 40, 10, 72, 79, 81, 30};
    long[] gaps = {0, 3, 10, 46, 2, 45, 1, 44, 60, 5, 7, 100};
    for (String device : List.of("a", "b")) {
      long t = device.equals("a") ? 0 : 7;
      for (int i = 0; i < values.length; i++) {
        t += gaps[i];
        events.add(event(device, device + i, i % 3 == 1 ? "CO2" : "TEMP", values[i], t));
      }
    }
    return events;
  }

  static List<String> designedAlerts() {
    List<String> alerts = new ArrayList<>();
    for (String d : List.of("a", "b")) {
      long s = d.equals("a") ? 0 : 7;
      // Event times: 0,3,13,59,61,106,107,151,211,216,223,323 (plus s); types T C T T C T T C T T C T.
      alerts.add(line(d, "first-event", d + "0", s));
      alerts.add(line(d, "no-news", d + "2", s + 13)); // 13 -> 59: 46 s
      alerts.add(line(d, "several-temperatures-in-70s", d + "3", s + 59)); // 71 and 74
      alerts.add(line(d, "high-co2-with-temperatures-in-70s", d + "3", s + 59)); // and 85 (CO2)
      alerts.add(line(d, "no-news", d + "4", s + 61)); // 61 -> 106: 45 s
      alerts.add(line(d, "no-news", d + "7", s + 151)); // 151 -> 211: 60 s
      alerts.add(line(d, "no-news", d + "10", s + 223)); // 223 -> 323: 100 s
      alerts.add(line(d, "no-news", d + "11", s + 323)); // the end of the input
    }
    return alerts;
  }

  @Test
  public void eventsArrivingOutOfOrderGiveTheAlertsOfSortedEvents() {
    List<TimestampedValue<KafkaRecord<byte[], byte[]>>> events = designed();
    Collections.shuffle(events, new Random(11));
    TestStream.Builder<KafkaRecord<byte[], byte[]>> stream = TestStream.create(ReadFromHub.coder());
    // In batches of 8; after each, the watermark moves up to just before the oldest event still to come.
    Instant watermark = new Instant(0);
    for (int i = 0; i < events.size(); i += 8) {
      List<TimestampedValue<KafkaRecord<byte[], byte[]>>> batch = events.subList(i, Math.min(events.size(), i + 8));
      stream = stream.addElements(batch.get(0), batch.subList(1, batch.size()).toArray(TimestampedValue[]::new));
      Instant oldestToCome = events.subList(Math.min(events.size(), i + 8), events.size()).stream()
          .map(TimestampedValue::getTimestamp).min(Instant::compareTo).orElse(null);
      if (oldestToCome != null && oldestToCome.minus(Duration.millis(1)).isAfter(watermark)) {
        watermark = oldestToCome.minus(Duration.millis(1));
        stream = stream.advanceWatermarkTo(watermark);
      }
    }
    PCollectionTuple out = monitor(pipeline.apply(stream.advanceWatermarkToInfinity()), 10);
    PAssert.that(lines(out, "")).containsInAnyOrder(designedAlerts());
    PAssert.that(out.get(MonitorDevices.DEAD_LETTERS)).empty();
    pipeline.run();
  }

  @Test
  public void badEventsAreDeadLetteredWithTheirReason() {
    TestStream<KafkaRecord<byte[], byte[]>> stream = TestStream.create(ReadFromHub.coder())
        .addElements(raw("not json", 1), raw("[1]", 1),
            raw("{\"eventId\":\"x\",\"type\":\"TEMP\",\"createdAt\":\"2024-05-01T10:00:00Z\",\"value\":1}", 1),
            raw("{\"eventId\":\"x\",\"type\":\"HUMIDITY\",\"deviceId\":\"d\",\"createdAt\":\"2024-05-01T10:00:00Z\",\"value\":1}", 1),
            raw("{\"eventId\":\"x\",\"type\":\"CO2\",\"deviceId\":\"d\",\"createdAt\":\"2024-05-01T10:00:00Z\",\"value\":\"hot\"}", 1),
            raw("{\"eventId\":\"x\",\"type\":\"CO2\",\"deviceId\":\"d\",\"createdAt\":\"yesterday\",\"value\":1}", 1),
            event("d", "ok", "CO2", 1, 2))
        .advanceWatermarkToInfinity();
    PCollectionTuple out = monitor(pipeline.apply(stream), 10);
    PAssert.that(reasons(out).apply("Short", MapElements.into(TypeDescriptors.strings())
            .via(r -> r.startsWith("not valid JSON") ? "not valid JSON" : r)))
        .containsInAnyOrder("not valid JSON", "not a JSON object", "deviceId is missing", "type is 'HUMIDITY', not TEMP or CO2",
            "value is not a number", "createdAt is 'yesterday', not a date-time");
    PAssert.that(lines(out, "")).containsInAnyOrder(line("d", "first-event", "ok", 2), line("d", "no-news", "ok", 2));
    pipeline.run();
  }
}
