package io.ehbeam.pipelines.aggregate;

import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.pipelines.common.Launcher;
import io.ehbeam.pipelines.common.ReadOptions;
import io.ehbeam.transforms.options.Choice;
import io.ehbeam.transforms.aggregate.AggregateEvents;
import io.ehbeam.transforms.aggregate.Aggregation;
import io.ehbeam.transforms.aggregate.RowsAsJson;
import io.ehbeam.transforms.connect.Hubs;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.deadletter.DeadLetter;
import io.ehbeam.transforms.deadletter.WriteDeadLetters;
import io.ehbeam.transforms.io.EventTime;
import io.ehbeam.transforms.io.WriteToHub;
import io.ehbeam.transforms.relay.StampEvents;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Streaming statistics (the temperature experiment's analytics consumer, in Beam's event-time model): count, min, max
 * and mean of {@code temperature_2m} per location and calendar month (or day, or hour), with running
 * results while a period is open, a final result when it closes, and late readings as corrections.
 * {@code --preset=devices} does the same for the streaming-at-scale sample's events: {@code value} per device type per
 * minute, with the number of distinct devices.
 *
 * <pre>
 *   ReadInput ─▶ AggregateEvents ─▶ Console / WriteOutput (hub) / WriteFiles (final rows)
 *                     └── dead letters ─▶ WriteDeadLetters
 * </pre>
 *
 * Event time is the event's own ({@code time}, {@code createdAt}) by default: Event Hubs stamps records
 * with their enqueue time, so the record timestamp of a replayed reading says when it was replayed.
 * Run: {@code ./run aggregate} (reads {@code temperatures}, prints to the console) or
 * {@code ./run aggregate --stopAtEnd=true --outputTopic=aggregates --outputDirectory=out/}.
 */
public final class AggregatePipeline implements Launcher.Job<AggregatePipeline.Options> {
  public static final String DEFAULT_CONSUMER_GROUP = "stream-anal-cg";

  /** Options of aggregate. */
  public interface Options extends ReadOptions {
    @Description("What to aggregate: temperatures (per location and --groupBy period; input default"
        + " 'temperatures') or devices (value per device type per minute, distinct devices; input default 'device-events').")
    @Default.Enum("TEMPERATURES")
    Aggregation.Preset getPreset();

    void setPreset(Aggregation.Preset value);

    @Description("Calendar period of the temperature statistics: month, day or hour.")
    @Default.Enum("MONTH")
    Aggregation.Period getGroupBy();

    void setGroupBy(Aggregation.Period value);

    @Description("Time zone of the calendar periods (e.g. UTC, Europe/Paris).")
    @Default.String("UTC")
    String getTimeZone();

    void setTimeZone(String value);

    @Description("While a period is open, emit a running result this often after new data (EARLY panes).")
    @Default.Long(10)
    long getUpdateEverySeconds();

    void setUpdateEverySeconds(long value);

    @Description("Readings up to this late still update a closed period (LATE panes); later ones are dropped by the windowing.")
    @Default.Long(24)
    long getAllowedLatenessHours();

    void setAllowedLatenessHours(long value);

    @Description("Which time the periods follow: payload (the event's own time: a reading's 'time', a device"
        + " event's 'createdAt') or broker (the record timestamp: the enqueue time on Event Hubs, which stamps"
        + " AppendTime unless a hub is set to CreateTime).")
    @Default.Enum("PAYLOAD")
    EventTime.Source getEventTime();

    void setEventTime(EventTime.Source value);

    @Description("How far out of event-time order events may arrive: the watermark trails the newest event time"
        + " by this much (a caught-up partition lets it follow the clock).")
    @Default.Long(60)
    long getMaxOutOfOrderSeconds();

    void setMaxOutOfOrderSeconds(long value);

    @Description("Print each result to the console as a table row.")
    @Default.Boolean(true)
    boolean getConsole();

    void setConsole(boolean value);

    @Description("Folder (any Beam filesystem path) for final results, one per group and period.")
    String getOutputDirectory();

    void setOutputDirectory(String value);

    @Description("Format of the files in --outputDirectory: json (JSON lines), parquet, or both (json,parquet)."
        + " Default: json.")
    @Default.InstanceFactory(JsonFiles.class)
    List<ResultFormat> getFormat();

    void setFormat(List<ResultFormat> value);
  }

  /** The formats of the result files. */
  public enum ResultFormat implements Choice.Word {
    JSON,
    PARQUET;

    @Override
    public String toString() {
      return Choice.spelled(this);
    }
  }

  /** {@code --format}'s default: JSON lines. */
  public static final class JsonFiles implements org.apache.beam.sdk.options.DefaultValueFactory<List<ResultFormat>> {
    @Override
    public List<ResultFormat> create(org.apache.beam.sdk.options.PipelineOptions options) {
      return List.of(ResultFormat.JSON);
    }
  }

  private AggregatePipeline() {}

  /** The aggregate, as the launcher runs it. */
  public static final AggregatePipeline JOB = new AggregatePipeline();

  public static Jobs.Outcome run(Options options) {
    return Launcher.run(JOB, options);
  }

  private static Aggregation aggregation(Options options) {
    return Aggregation.of(options.getPreset(), options.getGroupBy(), options.getTimeZone());
  }

  private static EventTime eventTime(Options options) {
    if (options.getMaxOutOfOrderSeconds() < 0) {
      throw new IllegalArgumentException("--maxOutOfOrderSeconds must be 0 or more, got " + options.getMaxOutOfOrderSeconds());
    }
    return EventTime.of(options.getEventTime(), aggregation(options).eventTimeField(),
        Duration.standardSeconds(options.getMaxOutOfOrderSeconds()));
  }

  @Override
  public String defaultConsumerGroup() {
    return DEFAULT_CONSUMER_GROUP;
  }

  @Override
  public Launcher.Endpoints endpoints(Options options, Hubs hubs) {
    // --inputTopic, else the connection string's EntityPath, else the preset's usual hub.
    KafkaEndpoint input = hubs.input().topic() != null ? hubs.input()
        : hubs.input().withTopic(aggregation(options).preset == Aggregation.Preset.DEVICES ? "device-events" : "temperatures");
    KafkaEndpoint deadLetters = Hubs.deadLetterOf(
        hubs.outputOr(input.requireTopic("--inputTopic") + "-aggregates"), options);
    return Launcher.Endpoints.of(input, hubs.output(), deadLetters);
  }

  @Override
  public Launcher.Outputs build(Pipeline pipeline, Options options, Launcher.Context context) {
    Aggregation aggregation = aggregation(options);
    List<ResultFormat> formats = options.getFormat();
    KafkaEndpoint output = context.endpoints().output();
    PCollectionTuple results =
        pipeline
            .apply("ReadInput", context.read(options).withEventTime(eventTime(options)))
            .apply("AggregateEvents", new AggregateEvents(aggregation,
                Duration.standardSeconds(options.getUpdateEverySeconds()),
                Duration.standardHours(options.getAllowedLatenessHours()), context.plan() != null));
    PCollection<KV<String, Row>> rows = results.get(AggregateEvents.ROWS);
    if (options.getConsole()) {
      rows.apply("Console", ParDo.of(new PrintRow()));
    }
    if (output.topic() != null) {
      rows.apply("AsJson", RowsAsJson.of())
          .apply("AsRecords", MapElements.into(TypeDescriptors.kvs(TypeDescriptor.of(byte[].class), TypeDescriptor.of(byte[].class)))
              .via(kv -> KV.of(kv.getKey().getBytes(StandardCharsets.UTF_8), kv.getValue().getBytes(StandardCharsets.UTF_8))))
          .setCoder(StampEvents.eventCoder())
          .apply("WriteOutput", WriteToHub.of(output));
    }
    if (options.getOutputDirectory() != null) {
      PCollection<KV<String, Row>> finals = rows.apply("OnlyFinal", Filter.by(row -> row.getValue().getBoolean("final")));
      if (context.plan() != null) {
        finals = finals.apply("OneFile", Window.into(new GlobalWindows()));
      }
      if (formats.contains(ResultFormat.JSON)) {
        finals.apply("AsJsonLines", RowsAsJson.of()).apply("JsonLines", Values.create())
            .apply("WriteJsonFiles", FileIO.<String>write().via(TextIO.sink()).to(options.getOutputDirectory())
                .withPrefix("aggregates").withSuffix(".json").withNumShards(1));
      }
      if (formats.contains(ResultFormat.PARQUET)) {
        Schema avroSchema = aggregation.avroSchema();
        finals.apply("Rows", Values.create())
            .apply("AsAvroRecords", MapElements.into(TypeDescriptor.of(GenericRecord.class))
                .via(AvroUtils.getRowToGenericRecordFunction(avroSchema)))
            .setCoder(AvroCoder.of(GenericRecord.class, avroSchema))
            .apply("WriteParquetFiles", FileIO.<GenericRecord>write()
                .via(ParquetIO.sink(avroSchema)).to(options.getOutputDirectory())
                .withPrefix("aggregates").withSuffix(".parquet").withNumShards(1));
      }
    }
    PCollection<DeadLetter> deadLetters = results.get(AggregateEvents.DEAD_LETTERS);
    deadLetters.apply("WriteDeadLetters", new WriteDeadLetters(context.endpoints().deadLetters()));
    return new Launcher.Outputs(rows, deadLetters);
  }

  @Override
  public String describe(Options options, Launcher.Context context) {
    Aggregation aggregation = aggregation(options);
    return String.format("Aggregating %s from %s per %s (%s), %s%s ...", aggregation.preset,
        context.endpoints().input(), aggregation.period, aggregation.timeZone, eventTime(options),
        context.plan() == null ? ", running until stopped" : ", to the end of the input");
  }

  /** One result per line, aligned like a table; the header is printed once per worker. */
  static final class PrintRow extends DoFn<KV<String, Row>, Void> {
    private static final java.util.concurrent.atomic.AtomicBoolean HEADER = new java.util.concurrent.atomic.AtomicBoolean();

    @ProcessElement
    public void process(@Element KV<String, Row> keyed) {
      Row r = keyed.getValue();
      boolean has = r.getSchema().hasField("city");
      String group = has ? r.getString("city") + " (" + r.getDouble("latitude") + ", " + r.getDouble("longitude") + ")"
          : r.getString("type");
      StringBuilder period = new StringBuilder(String.format("%04d-%02d", r.getInt32("year"), r.getInt32("month")));
      if (r.getSchema().hasField("day")) {
        period.append(String.format("-%02d", r.getInt32("day")));
      }
      if (r.getSchema().hasField("hour")) {
        period.append(String.format(" %02d:%02d", r.getInt32("hour"),
            r.getSchema().hasField("minute") ? r.getInt32("minute") : 0));
      }
      synchronized (System.out) {
        if (HEADER.compareAndSet(false, true)) {
          System.out.printf("%-32s %-16s %8s %8s %8s %9s %s%n", "GROUP", "PERIOD", "COUNT", "MIN", "MAX", "MEAN", "PANE");
        }
        System.out.printf("%-32s %-16s %8d %8.2f %8.2f %9.3f %s%s%s%n", group, period, r.getInt64("count"),
            r.getDouble("min"), r.getDouble("max"), r.getDouble("mean"), r.getString("timing"),
            r.getBoolean("final") ? " final" : "",
            r.getSchema().hasField("distinctDevices") ? " devices=" + r.getInt32("distinctDevices") : "");
      }
    }
  }
}
