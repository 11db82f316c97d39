package io.ehbeam.transforms.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import io.ehbeam.transforms.deadletter.DeadLetter;
import io.ehbeam.transforms.json.Json;
import io.ehbeam.transforms.io.ReadFromHub;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;

/**
 * Streaming statistics per group and calendar period, in event time (the records' timestamps):
 *
 * <pre>
 *   Parse ─▶ Window (calendar periods, early/on-time/late panes) ─▶ Combine (count, min, max, mean) ─▶ Rows
 *     └── dead letters
 * </pre>
 *
 * <p>While a period is open, a running result is emitted every {@code updateEvery} after new data
 * (EARLY panes, accumulating, like the temperature experiment's complete-mode table); the ON_TIME pane follows when the
 * watermark passes the period's end; readings up to {@code allowedLateness} late update it again
 * (LATE panes), and when the period closes a last pane is emitted with {@code final=true}. With
 * {@code batch} (a {@code --stopAtEnd} read) there are no early panes: exactly one final row per
 * group and period.
 *
 * <p>Rows are typed ({@link Aggregation#rowSchema}): the group's fields, {@code year}, {@code month}
 * (and {@code day}, {@code hour}, {@code minute} for finer periods), {@code count}, {@code min},
 * {@code max}, {@code mean} ({@code distinctDevices} for devices), {@code timing} (EARLY, ON_TIME,
 * LATE) and {@code final}. Jobs turn them into JSON, Parquet or console lines at their edges.
 */
public final class AggregateEvents extends PTransform<PCollection<KafkaRecord<byte[], byte[]>>, PCollectionTuple> {
  /** Rows keyed by their group key (JSON text). */
  public static final TupleTag<KV<String, Row>> ROWS = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};
  static final String STEP = "AggregateEvents";

  private final Aggregation aggregation;
  private final Duration updateEvery;
  private final Duration allowedLateness;
  private final boolean batch;

  public AggregateEvents(Aggregation aggregation, Duration updateEvery, Duration allowedLateness, boolean batch) {
    this.aggregation = aggregation;
    this.updateEvery = updateEvery;
    this.allowedLateness = allowedLateness;
    this.batch = batch;
  }

  @Override
  public PCollectionTuple expand(PCollection<KafkaRecord<byte[], byte[]>> records) {
    PCollectionTuple parsed =
        records.apply("Parse", ParDo.of(new Parse(aggregation)).withOutputTags(MEASUREMENTS, TupleTagList.of(DEAD_LETTERS)));
    parsed.get(DEAD_LETTERS).setCoder(SerializableCoder.of(DeadLetter.class));

    Window<KV<String, Measurement>> windows = Window.<KV<String, Measurement>>into(aggregation.windows());
    if (batch) {
      windows = windows.triggering(AfterWatermark.pastEndOfWindow()).withAllowedLateness(Duration.ZERO).discardingFiredPanes();
    } else {
      windows = windows
          .triggering(AfterWatermark.pastEndOfWindow()
              .withEarlyFirings(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(updateEvery))
              .withLateFirings(AfterPane.elementCountAtLeast(1)))
          .withAllowedLateness(allowedLateness, Window.ClosingBehavior.FIRE_ALWAYS)
          .accumulatingFiredPanes();
    }
    PCollection<KV<String, Row>> rows =
        parsed.get(MEASUREMENTS)
            .setCoder(KvCoder.of(StringUtf8Coder.of(), Measurement.CODER))
            .apply("CalendarPeriods", windows)
            .apply("Statistics", Combine.perKey(new Stats.Fn()))
            .apply("ToRows", ParDo.of(new ToRow(aggregation)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), RowCoder.of(aggregation.rowSchema())));
    return PCollectionTuple.of(ROWS, rows).and(DEAD_LETTERS, parsed.get(DEAD_LETTERS));
  }

  static final TupleTag<KV<String, Measurement>> MEASUREMENTS = new TupleTag<>() {};

  static final class Parse extends DoFn<KafkaRecord<byte[], byte[]>, KV<String, Measurement>> {
    private final Aggregation aggregation;
    private final java.util.Set<String> fieldsRead;
    private final Counter aggregated = Metrics.counter(ReadFromHub.METRICS_NAMESPACE, "aggregated");

    Parse(Aggregation aggregation) {
      this.aggregation = aggregation;
      this.fieldsRead = aggregation.fieldsRead();
    }

    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> record, MultiOutputReceiver out) {
      try {
        JsonNode event = Json.fields(record.getKV().getValue(), fieldsRead);
        String key = aggregation.keyOf(event);
        Measurement m = aggregation.measurementOf(event);
        aggregated.inc();
        out.get(MEASUREMENTS).output(KV.of(key, m));
      } catch (IllegalArgumentException e) {
        out.get(DEAD_LETTERS).output(DeadLetter.of(record, STEP, e.getMessage()));
      }
    }
  }

  static final class ToRow extends DoFn<KV<String, Stats>, KV<String, Row>> {
    private final Aggregation aggregation;

    ToRow(Aggregation aggregation) {
      this.aggregation = aggregation;
    }

    @ProcessElement
    public void process(@Element KV<String, Stats> result, IntervalWindow window, PaneInfo pane,
        OutputReceiver<KV<String, Row>> out) {
      if (result.getValue().count == 0) {
        // An empty pane (seen on Flink when a period closes at once): nothing to report.
        return;
      }
      String timing = pane.getTiming() == PaneInfo.Timing.UNKNOWN ? "ON_TIME" : pane.getTiming().name();
      out.output(KV.of(result.getKey(), aggregation.row(result.getKey(), window, result.getValue(), timing, pane.isLast())));
    }
  }
}
