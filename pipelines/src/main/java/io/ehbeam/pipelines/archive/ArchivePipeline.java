package io.ehbeam.pipelines.archive;

import io.ehbeam.pipelines.common.CommitOffsets;
import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.pipelines.common.Launcher;
import io.ehbeam.pipelines.common.ReadOptions;
import io.ehbeam.pipelines.common.RunnerDefaults;
import io.ehbeam.transforms.options.Choice;
import io.ehbeam.transforms.archive.ArchiveLayout;
import io.ehbeam.transforms.archive.ArchiveSchema;
import io.ehbeam.transforms.archive.CommitArchivedOffsets;
import io.ehbeam.transforms.archive.CommitDeltaWindows;
import io.ehbeam.transforms.archive.DeltaTable;
import io.ehbeam.transforms.archive.WindowWritten;
import io.ehbeam.transforms.archive.ToArchivedEvents;
import io.ehbeam.transforms.archive.WriteArchiveFiles;
import io.ehbeam.transforms.archive.WriteArchiveFiles.Format;
import io.ehbeam.transforms.connect.Hubs;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.deadletter.DeadLetter;
import io.ehbeam.transforms.deadletter.WriteDeadLetters;
import io.ehbeam.transforms.io.ReadFromHub;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.azure.options.BlobstoreOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.joda.time.Duration;

/**
 * The archive (the temperature experiment's JSON data warehouse, Event Hubs Capture's job): lands a hub's events as
 * files, in windows of a few minutes, partitioned by event time.
 *
 * <pre>
 *   ReadInput ─▶ ToArchivedEvents ─▶ WriteArchiveFiles (JSON lines | Parquet | Avro | Delta) ─▶ [CommitDeltaWindows] ─▶ CommitArchivedOffsets
 *                      └──── dead letters ──▶ WriteDeadLetters
 * </pre>
 *
 * <p>The group's offsets move only over events that are in files (streaming, event-time windows),
 * so a killed archive restarts without losing or doubling an event.
 *
 * <p>Run: {@code ./run archive --inputTopic=temperatures --outputDirectory=/data/archive --format=parquet}.
 */
public final class ArchivePipeline implements Launcher.Job<ArchivePipeline.Options> {
  public static final String DEFAULT_CONSUMER_GROUP = "archive-cg";

  /** Which clock the archive's windows follow ({@code --windowTime}). */
  public enum WindowTime implements Choice.Word {
    /** The hub's enqueue time: deterministic, a replay writes the same files. */
    EVENT_TIME,
    /** When the archive sees the events. */
    PROCESSING_TIME;

    @Override
    public String toString() {
      return Choice.spelled(this);
    }
  }

  /** {@code --format}'s default: Avro for Capture's schema, else JSON lines. */
  public static final class FormatBySchema implements org.apache.beam.sdk.options.DefaultValueFactory<List<Format>> {
    @Override
    public List<Format> create(org.apache.beam.sdk.options.PipelineOptions options) {
      return List.of(options.as(Options.class).getSchema() == ArchiveSchema.Kind.CAPTURE ? Format.AVRO : Format.JSON);
    }
  }

  /** {@code --layout}'s default: Capture's paths for Capture's schema, else hive folders. */
  public static final class LayoutBySchema implements org.apache.beam.sdk.options.DefaultValueFactory<ArchiveLayout.Kind> {
    @Override
    public ArchiveLayout.Kind create(org.apache.beam.sdk.options.PipelineOptions options) {
      return options.as(Options.class).getSchema() == ArchiveSchema.Kind.CAPTURE ? ArchiveLayout.Kind.CAPTURE : ArchiveLayout.Kind.HIVE;
    }
  }

  /** Event Hubs Capture's size window: a file rolls at 10 to 500 MB. */
  static final long CAPTURE_MIN_FILE_BYTES = 10L << 20;
  static final long CAPTURE_MAX_FILE_BYTES = 500L << 20;

  public interface Options extends ReadOptions {
    @Description("When a streaming archive in event time commits the consumer group's offsets:"
        + " AFTER_WRITTEN (once the window's files are written: a restart reads again only what is in no file) or WHEN_CHECKPOINTED (when"
        + " the runner finalizes a checkpoint). Default: WHEN_CHECKPOINTED"
        + " on Spark, whose classic runner lacks the timers the other needs; AFTER_WRITTEN elsewhere."
        + " In processing time it is always WHEN_CHECKPOINTED.")
    @Default.InstanceFactory(RunnerDefaults.ArchiveCommitByRunner.class)
    CommitOffsets getCommitOffsets();

    void setCommitOffsets(CommitOffsets value);

    @Description("Where the files go: a local folder, or azfs://<account>/<container>/<path> (Azure Blob Storage,"
        + " ADLS Gen2; the key from AZURE_STORAGE_CONNECTION_STRING or --azureConnectionString).")
    @Validation.Required
    String getOutputDirectory();

    void setOutputDirectory(String value);

    @Description("File formats, one or several: json (JSON lines, each event as received plus the archive's"
        + " fields), parquet, avro; or delta alone (a Delta Lake table at --outputDirectory, partitioned by the event"
        + " time's year, month, day and hour, one commit per window). Default: avro with --schema=capture, else json.")
    @Default.InstanceFactory(FormatBySchema.class)
    List<Format> getFormat();

    void setFormat(List<Format> value);

    @Description("Schema of the archived events: auto (default: for Parquet and Avro, chosen at start from a"
        + " sample of the newest events: temperature or device if they all fit it, else inferred from them as"
        + " Spark infers JSON, typed columns and nested records; printed, and written as _schema.avsc), temperature,"
        + " device (datafiles/schemas), raw (an envelope holding the event as a string), or capture (Event Hubs"
        + " Capture's Avro record: every event, any body, as bytes, with its headers and system properties; Avro"
        + " files in Capture's paths). Events that do not fit a schema are dead letters in every format, JSON"
        + " lines too.")
    @Default.Enum("AUTO")
    ArchiveSchema.Kind getSchema();

    void setSchema(ArchiveSchema.Kind value);

    @Description("Top-level field with the event time (year/month/day/hour and hive folders). Default: the"
        + " schema's own (temperature: time, device: createdAt; raw: the record timestamp).")
    String getEventTimeField();

    void setEventTimeField(String value);

    @Description("Length of a window, 60 to 900 seconds (Capture's range); the temperature experiment used 120.")
    @Default.Integer(120)
    int getWindowSeconds();

    void setWindowSeconds(int value);

    @Description("Windows of event-time (the hub's enqueue time: deterministic, a replay writes the same files)"
        + " or processing-time (when the archive sees the events).")
    @Default.Enum("EVENT_TIME")
    WindowTime getWindowTime();

    void setWindowTime(WindowTime value);

    @Description("A file rolls once it holds about this many bytes (Capture: 10-500 MB).")
    @Default.Long(128L << 20)
    long getMaxFileBytes();

    void setMaxFileBytes(long value);

    @Description("Folder layout: hive (year=/month=/day=/hour=, the temperature experiment's) or capture"
        + " (namespace/hub/partition/year/month/day/hour/minute/second.avro, Event Hubs Capture's). Default:"
        + " capture with --schema=capture, else hive.")
    @Default.InstanceFactory(LayoutBySchema.class)
    ArchiveLayout.Kind getLayout();

    void setLayout(ArchiveLayout.Kind value);

    @Description("Capture layout's first folder. Default: the namespace of the input connection string (the"
        + " host name before its first dot, e.g. localhost on the local broker).")
    String getCaptureNamespace();

    void setCaptureNamespace(String value);

    @Description("Events whose enqueue time is up to this late still land (in a file of their own).")
    @Default.Long(3600)
    long getAllowedLatenessSeconds();

    void setAllowedLatenessSeconds(long value);
  }

  private ArchivePipeline() {}

  /** The archive, as the launcher runs it. */
  public static final ArchivePipeline JOB = new ArchivePipeline();

  public static Jobs.Outcome run(Options options) {
    return Launcher.run(JOB, options);
  }

  @Override
  public String defaultConsumerGroup() {
    return DEFAULT_CONSUMER_GROUP;
  }

  @Override
  public Launcher.Endpoints endpoints(Options options, Hubs hubs) {
    if (options.getWindowSeconds() < 60 || options.getWindowSeconds() > 900) {
      throw new IllegalArgumentException("--windowSeconds must be between 60 and 900; got " + options.getWindowSeconds());
    }
    if (options.getMaxFileBytes() < 1024) {
      throw new IllegalArgumentException("--maxFileBytes must be at least 1024; got " + options.getMaxFileBytes());
    }
    if (options.getSchema() == ArchiveSchema.Kind.CAPTURE) {
      if (!options.getFormat().equals(List.of(Format.AVRO))) {
        throw new IllegalArgumentException("--schema=capture writes Avro, as Event Hubs Capture does: use --format=avro"
            + " (or leave it out); got --format=" + formatsAsWritten(java.util.EnumSet.copyOf(options.getFormat())));
      }
      if (options.getMaxFileBytes() < CAPTURE_MIN_FILE_BYTES || options.getMaxFileBytes() > CAPTURE_MAX_FILE_BYTES) {
        throw new IllegalArgumentException("--schema=capture rolls files at Capture's size window, 10 to 500 MB"
            + " (--maxFileBytes=" + CAPTURE_MIN_FILE_BYTES + " to " + CAPTURE_MAX_FILE_BYTES + "); got " + options.getMaxFileBytes());
      }
    }
    if (options.getFormat().contains(Format.DELTA)) {
      if (options.getFormat().size() > 1) {
        throw new IllegalArgumentException("--format=delta writes a table of its own at --outputDirectory: archive other"
            + " formats into another folder, with another --consumerGroup; got --format="
            + formatsAsWritten(java.util.EnumSet.copyOf(options.getFormat())));
      }
      if (options.getSchema() == ArchiveSchema.Kind.CAPTURE || options.getLayout() != ArchiveLayout.Kind.HIVE) {
        throw new IllegalArgumentException("--format=delta partitions its table by the event time's year, month, day and"
            + " hour: leave out --schema=capture and --layout=capture");
      }
    }
    String inputTopic = hubs.input().requireTopic("--inputTopic");
    return Launcher.Endpoints.of(hubs.input(), null, Hubs.deadLetterOf(hubs.outputOr(inputTopic + "-archive"), options));
  }

  @Override
  public Launcher.Outputs build(Pipeline pipeline, Options options, Launcher.Context context) {
    Set<Format> formats = java.util.EnumSet.copyOf(options.getFormat());
    ArchiveSchema schema = schema(options, formats, context.endpoints().input());
    boolean processingTime = options.getWindowTime() == WindowTime.PROCESSING_TIME;
    KafkaEndpoint input = context.endpoints().input();
    String group = context.hubs().consumerGroup();
    Duration window = Duration.standardSeconds(options.getWindowSeconds());
    // After a restart, what the last run wrote again from its commit (see CommitArchivedOffsets).
    Map<Integer, Long> kept = CommitArchivedOffsets.keptWindowStarts(input, group);
    // Streaming in event time, offsets move only over what is in files (unless --commitOffsets says
    // otherwise); in processing time (not replayable), when the runner finalizes a checkpoint.
    boolean checkpointed = options.getCommitOffsets() == CommitOffsets.WHEN_CHECKPOINTED;
    boolean commitAfterWrite = context.plan() == null && !processingTime && !checkpointed;
    if (context.plan() == null && checkpointed && !processingTime) {
      System.out.println("Note: offsets are committed when the runner finalizes a checkpoint, not after the files"
          + " are written (--commitOffsets=WHEN_CHECKPOINTED); on Spark, a micro-batch finalizes before its files are"
          + " written, so a kill mid-batch can lose that batch: archive with --stopAtEnd=true runs there.");
    }
    ReadFromHub read = commitAfterWrite ? context.read(options).withoutOffsetCommits() : context.read(options);
    // A Delta table knows which events it holds (per window and partition, up to an offset): a
    // restart writes none of them again, and the group moves only once a version holds the files.
    DeltaTable table = null;
    Map<String, Long> inTable = Map.of();
    String writer = group + "@" + input.topic();
    if (formats.contains(Format.DELTA)) {
      table = DeltaTable.at(options.getOutputDirectory(), options.as(BlobstoreOptions.class).getAzureConnectionString());
      table.createOrCheck(schema);
      inTable = table.committedOffsets(writer);
    }

    PCollectionTuple checked = pipeline
        .apply("ReadInput", read)
        .apply("ToArchivedEvents", new ToArchivedEvents(schema, options.getEventTimeField(), formats.contains(Format.JSON), typed(formats))
            .skippingArchivedWindows(kept, window)
            .skippingEventsInTable(inTable));
    PCollection<WindowWritten> written = checked.get(ToArchivedEvents.EVENTS)
        .apply("WriteArchiveFiles", new WriteArchiveFiles(options.getOutputDirectory(), formats, schema,
            ArchiveLayout.of(options.getLayout(), options.getCaptureNamespace() != null ? options.getCaptureNamespace()
                : namespace(input), input.topic()), window, processingTime,
            Duration.standardSeconds(options.getAllowedLatenessSeconds()), options.getMaxFileBytes()));
    if (table != null) {
      // Offsets of windows kept in the table as long as late panes and a restart's replay may come.
      Duration horizon = Duration.standardSeconds(options.getAllowedLatenessSeconds()).plus(window.multipliedBy(3));
      written = written.apply("CommitDeltaWindows", new CommitDeltaWindows(table, writer, horizon));
    }
    if (commitAfterWrite) {
      written.apply("CommitArchivedOffsets", new CommitArchivedOffsets(input, group, window));
    }
    PCollection<DeadLetter> deadLetters = checked.get(ToArchivedEvents.DEAD_LETTERS);
    deadLetters.apply("WriteDeadLetters", new WriteDeadLetters(context.endpoints().deadLetters()));
    return new Launcher.Outputs(written, deadLetters);
  }

  /** How many of the newest events {@code --schema=auto} looks at, and for how long at most. */
  static final int SAMPLE_EVENTS = 1000;
  static final java.time.Duration SAMPLE_TIME = java.time.Duration.ofSeconds(20);

  /**
   * {@code --schema}, or for {@code auto} with Parquet or Avro, the schema of the newest events
   * (printed, and kept as {@code _schema.avsc} in the output folder); JSON lines alone keep each
   * event as it is ({@code raw}).
   */
  static ArchiveSchema schema(Options options, Set<Format> formats, KafkaEndpoint input) {
    if (options.getSchema() != ArchiveSchema.Kind.AUTO) {
      return ArchiveSchema.of(options.getSchema());
    }
    if (!typed(formats)) {
      return ArchiveSchema.of(ArchiveSchema.Kind.RAW);
    }
    if (formats.contains(Format.DELTA)) {
      // A table keeps its columns: a restart writes with the schema the table was made with.
      Schema kept = keptSchema(options.getOutputDirectory());
      if (kept != null) {
        ArchiveSchema schema = ArchiveSchema.kept(kept);
        System.out.println("Schema of the Delta table: " + schema.name() + ", as kept in " + options.getOutputDirectory() + "/" + SCHEMA_FILE);
        return schema;
      }
    }
    List<byte[]> sample = io.ehbeam.transforms.io.HubSample.newestValues(input, SAMPLE_EVENTS, SAMPLE_TIME);
    ArchiveSchema schema = ArchiveSchema.forSample(sample);
    System.out.println("Schema of the archived records: " + schema.name() + (schema.isRaw()
        ? " (the hub holds no JSON object yet: each event as a string; --schema names one)"
        : " (from the newest " + sample.size() + " events; --schema fixes one), kept as "
            + options.getOutputDirectory() + "/" + SCHEMA_FILE + ":") + "\n" + schema.avro().toString(true));
    writeSchema(options.getOutputDirectory(), schema);
    return schema;
  }

  /** Next to the files; the leading underscore keeps Spark, Hive and DuckDB globs from reading it as data. */
  static final String SCHEMA_FILE = "_schema.avsc";

  /** The schema kept by an earlier run, or null. */
  private static Schema keptSchema(String outputDirectory) {
    String folder = outputDirectory.endsWith("/") ? outputDirectory : outputDirectory + "/";
    try {
      org.apache.beam.sdk.io.fs.MatchResult match = org.apache.beam.sdk.io.FileSystems.match(folder + SCHEMA_FILE,
          org.apache.beam.sdk.io.fs.EmptyMatchTreatment.ALLOW);
      if (match.status() != org.apache.beam.sdk.io.fs.MatchResult.Status.OK || match.metadata().isEmpty()) {
        return null;
      }
      try (java.io.InputStream in = java.nio.channels.Channels.newInputStream(
          org.apache.beam.sdk.io.FileSystems.open(match.metadata().get(0).resourceId()))) {
        return new Schema.Parser().parse(in);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + folder + SCHEMA_FILE, e);
    }
  }

  private static void writeSchema(String outputDirectory, ArchiveSchema schema) {
    String folder = outputDirectory.endsWith("/") ? outputDirectory : outputDirectory + "/";
    org.apache.beam.sdk.io.fs.ResourceId file = org.apache.beam.sdk.io.FileSystems.matchNewResource(folder + SCHEMA_FILE, false);
    try (java.nio.channels.WritableByteChannel out = org.apache.beam.sdk.io.FileSystems.create(file, "application/json")) {
      out.write(java.nio.ByteBuffer.wrap(schema.avro().toString(true).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + file, e);
    }
  }

  @Override
  public String describe(Options options, Launcher.Context context) {
    return String.format("Archiving %s to %s as %s (%s schema, %s layout, %d s windows of %s)%s ...",
        context.endpoints().input(), options.getOutputDirectory(), formatsAsWritten(java.util.EnumSet.copyOf(options.getFormat())),
        options.getSchema(), options.getLayout(), options.getWindowSeconds(),
        options.getWindowTime() == WindowTime.PROCESSING_TIME ? "processing time" : "enqueue time",
        context.plan() == null ? "" : ", then stopping");
  }

  /** Formats with columns (Parquet, Avro, Delta), written from the schema's records. */
  private static boolean typed(Set<Format> formats) {
    return formats.contains(Format.PARQUET) || formats.contains(Format.AVRO) || formats.contains(Format.DELTA);
  }

  private static String formatsAsWritten(Set<Format> formats) {
    return formats.stream().map(Format::toString).collect(java.util.stream.Collectors.joining(","));
  }

  /** Capture's first folder: the namespace (Event Hubs) or the broker's host name. */
  static String namespace(KafkaEndpoint endpoint) {
    String host = endpoint.bootstrapServers().split(",")[0].split(":")[0];
    int dot = host.indexOf('.');
    return dot < 0 ? host : host.substring(0, dot);
  }
}
