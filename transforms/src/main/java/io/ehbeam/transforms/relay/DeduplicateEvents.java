package io.ehbeam.transforms.relay;

import io.ehbeam.transforms.json.EventDocument;
import io.ehbeam.transforms.json.EventDocument.InvalidEventException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Drops events whose {@code eventId} was already seen for the same key (device), remembering the
 * last {@code historySize} ids per key, as the streaming-at-scale sample's simulator duplicates ~0.1% of events. The
 * memory is bounded per key; events without an {@code eventId} pass through. Dropped events are
 * counted as {@code deduplicated}.
 */
public final class DeduplicateEvents
    extends PTransform<PCollection<KV<byte[], byte[]>>, PCollection<KV<byte[], byte[]>>> {
  public static final String EVENT_ID = "eventId";
  public static final String COUNTER = "deduplicated";

  private final int historySize;

  public DeduplicateEvents(int historySize) {
    if (historySize < 1) {
      throw new IllegalArgumentException("dedup history must hold at least one id per key");
    }
    this.historySize = historySize;
  }

  @Override
  public PCollection<KV<byte[], byte[]>> expand(PCollection<KV<byte[], byte[]>> events) {
    return events
        .apply("KeyByDevice", ParDo.of(new KeyByDevice()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StampEvents.eventCoder()))
        .apply("DropRepeatedEventIds", ParDo.of(new DropRepeats(historySize)))
        .setCoder(StampEvents.eventCoder());
  }

  private static final class KeyByDevice
      extends DoFn<KV<byte[], byte[]>, KV<String, KV<byte[], byte[]>>> {
    @ProcessElement
    public void process(@Element KV<byte[], byte[]> event, OutputReceiver<KV<String, KV<byte[], byte[]>>> out) {
      byte[] key = event.getKey();
      out.output(KV.of(key == null ? "" : new String(key, StandardCharsets.UTF_8), event));
    }
  }

  private static final class DropRepeats extends DoFn<KV<String, KV<byte[], byte[]>>, KV<byte[], byte[]>> {
    private final int historySize;
    private final Counter deduplicated = Metrics.counter("ehbeam", COUNTER);

    @StateId("recentIds")
    private final StateSpec<ValueState<List<String>>> recentIds =
        StateSpecs.value(ListCoder.of(StringUtf8Coder.of()));

    DropRepeats(int historySize) {
      this.historySize = historySize;
    }

    @ProcessElement
    public void process(
        @Element KV<String, KV<byte[], byte[]>> keyed,
        @StateId("recentIds") ValueState<List<String>> recentIds,
        OutputReceiver<KV<byte[], byte[]>> out) {
      KV<byte[], byte[]> event = keyed.getValue();
      String eventId;
      try {
        eventId = EventDocument.scan(event.getValue(), Set.of(), EVENT_ID).capturedValue();
      } catch (InvalidEventException e) {
        eventId = null; // stamped events are valid JSON; nothing to deduplicate on otherwise
      }
      if (eventId == null) {
        out.output(event);
        return;
      }
      List<String> stored = recentIds.read();
      ArrayDeque<String> recent = stored == null ? new ArrayDeque<>() : new ArrayDeque<>(stored);
      if (recent.contains(eventId)) {
        deduplicated.inc();
        return;
      }
      recent.addLast(eventId);
      while (recent.size() > historySize) {
        recent.removeFirst();
      }
      recentIds.write(new ArrayList<>(recent));
      out.output(event);
    }
  }
}
