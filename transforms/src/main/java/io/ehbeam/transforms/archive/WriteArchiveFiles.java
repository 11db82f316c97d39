package io.ehbeam.transforms.archive;

import io.ehbeam.transforms.options.Choice;

import io.ehbeam.transforms.io.ReadFromHub;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.parquet.hadoop.ParquetWriter;
import org.joda.time.Duration;

/**
 * Lands archived events as files under a folder (any Beam filesystem: local, Azure Blob Storage
 * as {@code azfs://}): windows of enqueue time (or of processing time), one group per folder,
 * partition and window, each group written in offset order into files of at most about {@code
 * maxFileBytes} per format. A file is written under a hidden temporary name and then renamed, so a
 * reader never sees half a file, and a replayed window replaces its files (see {@link
 * ArchiveLayout} for the names). Empty windows write nothing. Outputs, per group written, what
 * {@link CommitArchivedOffsets} needs (timestamped at the end of its window).
 *
 * <pre>
 *   Window ─▶ KeyByFileGroup ─▶ GroupByKey ─▶ WriteGroups
 * </pre>
 */
public final class WriteArchiveFiles extends PTransform<PCollection<ArchivedEvent>, PCollection<WindowWritten>> {
  /** What files are written. */
  public enum Format implements Choice.Word {
    JSON("jsonl"), PARQUET("parquet"), AVRO("avro"),
    /** A Delta Lake table: Parquet files without the partition columns, visible once {@link CommitDeltaWindows} adds them. */
    DELTA("parquet");

    final String extension;

    Format(String extension) {
      this.extension = extension;
    }

    @Override
    public String toString() {
      return Choice.spelled(this);
    }
  }

  /** Files roll no later than this many seconds after a late event arrives (late panes). */
  static final Duration LATE_FIRING_DELAY = Duration.standardSeconds(10);

  private final String outputDirectory;
  private final Set<Format> formats;
  private final ArchiveSchema schema;
  private final ArchiveLayout layout;
  private final Duration window;
  private final boolean processingTime;
  private final Duration allowedLateness;
  private final long maxFileBytes;

  public WriteArchiveFiles(String outputDirectory, Set<Format> formats, ArchiveSchema schema, ArchiveLayout layout,
      Duration window, boolean processingTime, Duration allowedLateness, long maxFileBytes) {
    this.outputDirectory = outputDirectory.endsWith("/") ? outputDirectory : outputDirectory + "/";
    this.formats = EnumSet.copyOf(formats);
    this.schema = schema;
    this.layout = layout;
    this.window = window;
    this.processingTime = processingTime;
    this.allowedLateness = allowedLateness;
    this.maxFileBytes = maxFileBytes;
  }

  @Override
  public PCollection<WindowWritten> expand(PCollection<ArchivedEvent> events) {
    Window<ArchivedEvent> windowing = processingTime
        ? Window.<ArchivedEvent>into(new GlobalWindows())
            .triggering(Repeatedly.forever(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(window)))
            .withAllowedLateness(Duration.ZERO)
            .discardingFiredPanes()
        : Window.<ArchivedEvent>into(FixedWindows.of(window))
            .triggering(AfterWatermark.pastEndOfWindow()
                .withLateFirings(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(LATE_FIRING_DELAY)))
            .withAllowedLateness(allowedLateness)
            .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY)
            .discardingFiredPanes();
    long windowMillis = window.getMillis();
    return events
        .apply("Window", windowing)
        .apply("KeyByFileGroup", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), events.getTypeDescriptor()))
            .via(e -> KV.of(groupKey(e, windowMillis), e)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), events.getCoder()))
        .apply("GroupByKey", GroupByKey.create())
        .apply("WriteGroups", ParDo.of(new WriteGroupFn(this)));
  }

  /** Window start (of enqueue time, like the event-time windows), partition, and the folder. */
  private String groupKey(ArchivedEvent e, long windowMillis) {
    long windowStart = e.enqueuedAtMillis - Math.floorMod(e.enqueuedAtMillis, windowMillis);
    return windowStart + "|" + e.partition + "|" + layout.folder(e, windowStart);
  }

  static final class WriteGroupFn extends DoFn<KV<String, Iterable<ArchivedEvent>>, WindowWritten> {
    private final String outputDirectory;
    private final Set<Format> formats;
    private final ArchiveSchema schema;
    private final ArchiveLayout layout;
    private final long maxFileBytes;
    private final Counter archived = Metrics.counter(ReadFromHub.METRICS_NAMESPACE, "archived");
    private final Counter files = Metrics.counter(ReadFromHub.METRICS_NAMESPACE, "files");
    private transient GenericDatumReader<GenericRecord> reader;
    private transient BinaryDecoder decoder;
    private transient Schema deltaSchema;

    WriteGroupFn(WriteArchiveFiles spec) {
      this.outputDirectory = spec.outputDirectory;
      this.formats = spec.formats;
      this.schema = spec.schema;
      this.layout = spec.layout;
      this.maxFileBytes = spec.maxFileBytes;
    }

    @Setup
    public void setup() {
      reader = new GenericDatumReader<>(schema.avro());
      // The partition columns are left out of the data files (skipped while writing).
      deltaSchema = DeltaTable.dataFileSchema(schema.avro());
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<ArchivedEvent>> group, PaneInfo pane,
        OutputReceiver<WindowWritten> out) throws IOException {
      String[] key = group.getKey().split("\\|", 3);
      long windowStart = Long.parseLong(key[0]);
      int partition = Integer.parseInt(key[1]);
      String folder = key[2];
      List<ArchivedEvent> events = new ArrayList<>();
      group.getValue().forEach(events::add);
      if (events.isEmpty()) {
        return; // an empty pane: nothing to write, nothing to commit
      }
      events.sort(Comparator.comparingLong(e -> e.offset));
      int written = 0;
      List<DeltaFile> deltaFiles = new ArrayList<>();
      long latePane = pane.getTiming() == PaneInfo.Timing.LATE ? Math.max(1, pane.getNonSpeculativeIndex()) : 0;
      for (Format format : formats) {
        int from = 0;
        long fileTime = -1;
        while (from < events.size()) {
          // One file: from `from` until it holds about maxFileBytes (at least one event).
          int to = from;
          long bytes = 0;
          while (to < events.size() && (to == from || bytes + size(events.get(to), format) <= maxFileBytes)) {
            bytes += size(events.get(to), format);
            to++;
          }
          fileTime = ArchiveLayout.fileTime(events.get(from), fileTime);
          String path = layout.path(folder, windowStart, partition, events.get(from), fileTime, latePane, format.extension);
          if (format == Format.DELTA) {
            deltaFiles.add(writeDeltaFile(path, windowStart, partition, events.subList(from, to)));
          } else {
            write(path, format, events.subList(from, to));
          }
          written++;
          files.inc();
          from = to;
        }
      }
      archived.inc(events.size());
      long minEnqueuedAt = events.stream().mapToLong(e -> e.enqueuedAtMillis).min().orElseThrow();
      out.output(new WindowWritten(partition, windowStart, events.get(0).offset, minEnqueuedAt, events.size(), written, deltaFiles));
    }

    private static long size(ArchivedEvent e, Format format) {
      return format == Format.JSON ? e.line.length + 1 : e.avro.length;
    }

    /**
     * A data file of the Delta table, under a name of its own (a window written again after a
     * restart adds new files, and the table keeps one commit's). No rename: the table shows a file
     * only once a commit adds it.
     */
    private DeltaFile writeDeltaFile(String path, long windowStart, int partition, List<ArchivedEvent> events) throws IOException {
      String unique = path.substring(0, path.length() - ".parquet".length()) + "-" + UUID.randomUUID() + ".parquet";
      ResourceId target = FileSystems.matchNewResource(outputDirectory + unique, false);
      try (WritableByteChannel channel = FileSystems.create(target, "application/octet-stream")) {
        // Three-level lists: Delta's readers take them, and they hold null elements.
        writeParquet(channel, deltaSchema, false, events);
      }
      org.apache.beam.sdk.io.fs.MatchResult.Metadata written = FileSystems.matchSingleFileSpec(target.toString());
      // events are in offset order (see process)
      return new DeltaFile(unique, written.sizeBytes(), events.size(), written.lastModifiedMillis(), windowStart, partition,
          events.get(0).offset, events.get(events.size() - 1).offset);
    }

    /**
     * Writes under a hidden temporary name, then renames: readers never see half a file. Blob
     * storage ({@code azfs://}) needs no rename: a blob appears only once its upload is committed,
     * at close (and Beam's blob copy would need the key in the pipeline options).
     */
    private void write(String path, Format format, List<ArchivedEvent> events) throws IOException {
      ResourceId target = FileSystems.matchNewResource(outputDirectory + path, false);
      ResourceId dir = target.getCurrentDirectory();
      String name = target.getFilename();
      boolean atomicUpload = target.getScheme().equals("azfs");
      ResourceId temporary = atomicUpload ? target : dir.resolve("." + name + "." + UUID.randomUUID() + ".tmp",
          org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions.RESOLVE_FILE);
      try (WritableByteChannel channel = FileSystems.create(temporary, "application/octet-stream")) {
        switch (format) {
          case JSON:
            writeLines(channel, events);
            break;
          case PARQUET:
            writeParquet(channel, schema.avro(), true, events);
            break;
          case AVRO:
            writeAvro(channel, events);
            break;
          default:
            throw new IllegalStateException(format.name());
        }
      }
      if (!atomicUpload) {
        FileSystems.rename(List.of(temporary), List.of(target), StandardMoveOptions.IGNORE_MISSING_FILES);
      }
    }

    private static void writeLines(WritableByteChannel channel, List<ArchivedEvent> events) throws IOException {
      OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
      for (ArchivedEvent e : events) {
        out.write(e.line);
        out.write('\n');
      }
      out.flush();
    }

    /** The events' Avro bytes, written into Parquet as they are: no record decoded per event. */
    private void writeParquet(WritableByteChannel channel, Schema fileSchema, boolean oldListStructure,
        List<ArchivedEvent> events) throws IOException {
      try (ParquetWriter<byte[]> writer = ParquetFromAvroBinary.open(channel, schema.avro(), fileSchema, oldListStructure)) {
        for (ArchivedEvent e : events) {
          writer.write(e.avro);
        }
      }
    }

    private void writeAvro(WritableByteChannel channel, List<ArchivedEvent> events) throws IOException {
      Schema avro = schema.avro();
      OutputStream out = Channels.newOutputStream(channel);
      DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(avro))
          .setCodec(CodecFactory.snappyCodec());
      writer.create(avro, out);
      for (ArchivedEvent e : events) {
        writer.append(decode(e));
      }
      writer.flush();
    }

    private GenericRecord decode(ArchivedEvent e) throws IOException {
      decoder = DecoderFactory.get().binaryDecoder(e.avro, decoder);
      return reader.read(null, decoder);
    }
  }
}
