package io.ehbeam.transforms.relay;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

public class DeduplicateEventsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static KV<byte[], byte[]> event(String device, String eventId, int n) {
    return KV.of(device.getBytes(UTF_8), ("{\"eventId\":\"" + eventId + "\",\"n\":" + n + "}").getBytes(UTF_8));
  }

  private static PCollection<String> describe(PCollection<KV<byte[], byte[]>> events) {
    return events.apply(
        MapElements.into(TypeDescriptors.strings())
            .via(e -> new String(e.getKey(), UTF_8) + " " + new String(e.getValue(), UTF_8)));
  }

  @Test
  public void dropsRepeatedIdsPerDeviceAcrossBundlesAndKeepsTheRest() {
    Instant t = new Instant(0);
    TestStream<KV<byte[], byte[]>> stream =
        TestStream.create(StampEvents.eventCoder())
            .addElements(
                TimestampedValue.of(event("d1", "a", 1), t),
                TimestampedValue.of(event("d1", "b", 2), t),
                TimestampedValue.of(event("d2", "a", 3), t)) // same id, other device: kept
            .advanceProcessingTime(Duration.standardSeconds(10))
            .addElements(
                TimestampedValue.of(event("d1", "a", 4), t.plus(Duration.millis(1))), // repeat: dropped
                TimestampedValue.of(event("d2", "c", 5), t.plus(Duration.millis(1))))
            .advanceWatermarkTo(t.plus(Duration.standardMinutes(1)))
            .addElements(
                TimestampedValue.of(event("d2", "a", 6), t.plus(Duration.standardMinutes(2))), // repeat: dropped
                TimestampedValue.of(KV.of("d3".getBytes(UTF_8), "{\"noId\":true}".getBytes(UTF_8)), t.plus(Duration.standardMinutes(2))),
                TimestampedValue.of(KV.of("d3".getBytes(UTF_8), "{\"noId\":true}".getBytes(UTF_8)), t.plus(Duration.standardMinutes(2))))
            .advanceWatermarkToInfinity();

    PCollection<KV<byte[], byte[]>> out = pipeline.apply(stream).apply(new DeduplicateEvents(100));

    PAssert.that(describe(out))
        .containsInAnyOrder(
            "d1 {\"eventId\":\"a\",\"n\":1}",
            "d1 {\"eventId\":\"b\",\"n\":2}",
            "d2 {\"eventId\":\"a\",\"n\":3}",
            "d2 {\"eventId\":\"c\",\"n\":5}",
            "d3 {\"noId\":true}",
            "d3 {\"noId\":true}");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void remembersOnlyTheLastIdsOfEachDevice() {
    TestStream.Builder<KV<byte[], byte[]>> builder = TestStream.create(StampEvents.eventCoder());
    List<String> expected = new ArrayList<>();
    String[] ids = {"a", "b", "c", "a", "c"}; // history 2: 'a' is forgotten after b, c; 'c' is not
    for (int i = 0; i < ids.length; i++) {
      builder = builder.addElements(event("d", ids[i], i)).advanceProcessingTime(Duration.standardSeconds(1));
      if (i != 4) {
        expected.add("d {\"eventId\":\"" + ids[i] + "\",\"n\":" + i + "}");
      }
    }
    PCollection<KV<byte[], byte[]>> out =
        pipeline.apply(builder.advanceWatermarkToInfinity()).apply(new DeduplicateEvents(2));
    PAssert.that(describe(out)).containsInAnyOrder(expected);
    pipeline.run().waitUntilFinish();
  }
}
