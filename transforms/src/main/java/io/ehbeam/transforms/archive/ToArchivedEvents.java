package io.ehbeam.transforms.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ehbeam.transforms.deadletter.DeadLetter;
import io.ehbeam.transforms.json.EventDocument;
import io.ehbeam.transforms.json.EventDocument.InvalidEventException;
import io.ehbeam.transforms.json.Json;
import io.ehbeam.transforms.json.JsonFields;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.beam.sdk.coders.SerializableCoder;
import io.ehbeam.transforms.io.ReadFromHub;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;

/**
 * Checks each record once and prepares what the archive writes: its event time (from {@code
 * eventTimeField}, else the record timestamp), the JSON line with the archive's fields added
 * (year, month, day, hour of the event time in UTC; enqueuedAt; partition; offset) and, for Parquet
 * and Avro, the record in the schema. Records that are not a JSON object, lack a usable event time
 * or do not fit the schema go to {@link #DEAD_LETTERS} with the reason; with Event Hubs Capture's
 * schema every record is kept as it came (its event time is its enqueue time). The element timestamp stays
 * the broker's (the archive's windows are in enqueue time, as Event Hubs Capture's).
 */
public final class ToArchivedEvents extends PTransform<PCollection<KafkaRecord<byte[], byte[]>>, PCollectionTuple> {
  public static final TupleTag<ArchivedEvent> EVENTS = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};
  static final String STEP = "ToArchivedEvents";
  public static final String ALREADY_ARCHIVED = "alreadyArchived";

  private final ArchiveSchema schema;
  private final String eventTimeField;
  private final boolean lines;
  private final boolean records;
  private final Map<Integer, Long> keptWindowStarts;
  private final Map<String, Long> inTable;
  private final long windowMillis;

  /**
   * @param eventTimeField top-level field holding the event time; null for the schema's own; "" for
   *     the record timestamp
   * @param lines whether JSON lines are written
   * @param records whether Parquet or Avro files are written
   */
  public ToArchivedEvents(ArchiveSchema schema, String eventTimeField, boolean lines, boolean records) {
    this(schema, eventTimeField == null ? schema.timeField() : eventTimeField.isEmpty() ? null : eventTimeField,
        lines, records, Map.of(), Map.of(), 1);
  }

  private ToArchivedEvents(ArchiveSchema schema, String eventTimeField, boolean lines, boolean records,
      Map<Integer, Long> keptWindowStarts, Map<String, Long> inTable, long windowMillis) {
    this.schema = schema;
    this.eventTimeField = eventTimeField;
    this.lines = lines;
    this.records = records;
    this.keptWindowStarts = new HashMap<>(keptWindowStarts);
    this.inTable = new HashMap<>(inTable);
    this.windowMillis = windowMillis;
  }

  /**
   * After a restart: events of windows older than the partition's kept window start (from {@link
   * CommitArchivedOffsets#keptWindowStarts}) are already in files and are counted, not archived again.
   */
  public ToArchivedEvents skippingArchivedWindows(Map<Integer, Long> keptWindowStarts, Duration window) {
    return new ToArchivedEvents(schema, eventTimeField, lines, records, keptWindowStarts, inTable, window.getMillis());
  }

  /**
   * After a restart into a Delta table: events the table holds already ({@link
   * DeltaTable#committedOffsets}: per window and partition, every event up to an offset) are
   * counted, not archived again. Use after {@link #skippingArchivedWindows}, which sets the window.
   */
  public ToArchivedEvents skippingEventsInTable(Map<String, Long> inTable) {
    return new ToArchivedEvents(schema, eventTimeField, lines, records, keptWindowStarts, inTable, windowMillis);
  }

  @Override
  public PCollectionTuple expand(PCollection<KafkaRecord<byte[], byte[]>> input) {
    PCollectionTuple result = input.apply("Check", ParDo.of(new CheckFn(this))
        .withOutputTags(EVENTS, TupleTagList.of(DEAD_LETTERS)));
    result.get(EVENTS).setCoder(ArchivedEvent.CODER);
    result.get(DEAD_LETTERS).setCoder(SerializableCoder.of(DeadLetter.class));
    return result;
  }

  static final class CheckFn extends DoFn<KafkaRecord<byte[], byte[]>, ArchivedEvent> {
    private static final Set<String> ADDED = new HashSet<>(ArchiveSchema.ARCHIVE_FIELDS);
    private final ArchiveSchema schema;
    private final String eventTimeField;
    private final boolean lines;
    private final boolean records;
    private final Map<Integer, Long> keptWindowStarts;
    private final Map<String, Long> inTable;
    private final long windowMillis;
    private final Counter alreadyArchived = Metrics.counter(ReadFromHub.METRICS_NAMESPACE, ALREADY_ARCHIVED);
    private transient GenericDatumWriter<GenericRecord> writer;
    private transient BinaryEncoder encoder;
    private transient ByteArrayOutputStream buffer;

    CheckFn(ToArchivedEvents spec) {
      this.schema = spec.schema;
      this.eventTimeField = spec.eventTimeField;
      this.lines = spec.lines;
      this.records = spec.records;
      this.keptWindowStarts = spec.keptWindowStarts;
      this.inTable = spec.inTable;
      this.windowMillis = spec.windowMillis;
    }

    @Setup
    public void setup() {
      writer = new GenericDatumWriter<>(schema.avro());
      buffer = new ByteArrayOutputStream(2048);
    }

    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> record, MultiOutputReceiver out) {
      long windowStart = record.getTimestamp() - Math.floorMod(record.getTimestamp(), windowMillis);
      Long kept = keptWindowStarts.get(record.getPartition());
      Long inTableUpTo = inTable.isEmpty() ? null : inTable.get(DeltaTable.windowPartition(windowStart, record.getPartition()));
      if ((kept != null && windowStart < kept) || (inTableUpTo != null && record.getOffset() <= inTableUpTo)) {
        alreadyArchived.inc();
        return;
      }
      try {
        out.get(EVENTS).output(check(record));
      } catch (InvalidEventException e) {
        out.get(DEAD_LETTERS).output(DeadLetter.of(record, STEP, e.getMessage()));
      }
    }

    private ArchivedEvent check(KafkaRecord<byte[], byte[]> record) throws InvalidEventException {
      if (schema.isCapture()) {
        // Capture keeps every event as it came, whatever the body: nothing to check.
        return new ArchivedEvent(record.getPartition(), record.getOffset(), record.getTimestamp(), record.getTimestamp(),
            record.getKV().getKey(), null, encode(out -> writer.write(schema.toCaptureRecord(record), out)));
      }
      byte[] value = record.getKV().getValue();
      // With a schema every event is checked against it, JSON lines too: a schema'd archive holds
      // only events that fit it, whatever the formats. Its tree is built in the pass that checks it.
      boolean typed = !schema.isRaw();
      EventDocument doc = typed ? EventDocument.read(value, ADDED, eventTimeField) : EventDocument.scan(value, ADDED, eventTimeField);
      long eventTime = eventTimeField == null ? record.getTimestamp() : parseTime(eventTimeField, doc.capturedValue());
      ArchivedEvent meta = new ArchivedEvent(record.getPartition(), record.getOffset(), record.getTimestamp(),
          eventTime, record.getKV().getKey(), null, null);
      byte[] avro = null;
      if (records || typed) {
        // The archive's fields the event lacks are written from meta (ArchiveSchema.write).
        String body = typed ? null : new String(value, StandardCharsets.UTF_8);
        avro = encode(out -> schema.write(doc.tree(), meta, body, out));
      }
      return new ArchivedEvent(meta.partition, meta.offset, meta.enqueuedAtMillis, eventTime, meta.key,
          lines ? withArchiveFields(value, doc, meta) : null, records ? avro : null);
    }

    /** The event's bytes with the archive's fields spliced in before the closing brace. */
    private static byte[] withArchiveFields(byte[] value, EventDocument doc, ArchivedEvent meta) throws InvalidEventException {
      LocalDateTime t = meta.eventTimeUtc();
      if (doc.hasAnyWatchedField()) {
        // Rare: the event has some of these fields already; its own values are kept.
        ObjectNode node = (ObjectNode) readTree(Json.MAPPER.reader(), value);
        node.putIfAbsent(ArchiveSchema.YEAR, node.numberNode(t.getYear()));
        node.putIfAbsent(ArchiveSchema.MONTH, node.numberNode(t.getMonthValue()));
        node.putIfAbsent(ArchiveSchema.DAY, node.numberNode(t.getDayOfMonth()));
        node.putIfAbsent(ArchiveSchema.HOUR, node.numberNode(t.getHour()));
        node.putIfAbsent(ArchiveSchema.ENQUEUED_AT, node.textNode(meta.enqueuedAt()));
        node.putIfAbsent(ArchiveSchema.PARTITION, node.numberNode(meta.partition));
        node.putIfAbsent(ArchiveSchema.OFFSET, node.numberNode(meta.offset));
        try {
          return Json.MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
          throw new InvalidEventException("cannot write the event back: " + e.getMessage());
        }
      }
      byte[] fields = ((doc.isEmpty() ? "" : ",")
          + "\"year\":" + t.getYear() + ",\"month\":" + t.getMonthValue() + ",\"day\":" + t.getDayOfMonth()
          + ",\"hour\":" + t.getHour() + ",\"enqueuedAt\":\"" + meta.enqueuedAt() + "\",\"partition\":" + meta.partition
          + ",\"offset\":" + meta.offset).getBytes(StandardCharsets.US_ASCII);
      int at = doc.closingBraceOffset();
      byte[] out = new byte[at + fields.length + 1];
      System.arraycopy(value, 0, out, 0, at);
      System.arraycopy(fields, 0, out, at, fields.length);
      out[out.length - 1] = '}';
      return out;
    }

    /** What one way of writing a record writes: the Avro encoding is kept, a failure is the event's. */
    private interface RecordWrite {
      void to(Encoder out) throws IOException, InvalidEventException;
    }

    private byte[] encode(RecordWrite write) throws InvalidEventException {
      try {
        buffer.reset();
        encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
        write.to(encoder);
        encoder.flush();
        return buffer.toByteArray();
      } catch (IOException | RuntimeException e) {
        throw new InvalidEventException("does not fit the " + schema.name() + " schema: " + e.getMessage());
      }
    }

    private static JsonNode readTree(com.fasterxml.jackson.databind.ObjectReader reader, byte[] bytes)
        throws InvalidEventException {
      try {
        return reader.readTree(bytes);
      } catch (IOException e) {
        throw new InvalidEventException("not valid JSON: " + e.getMessage());
      }
    }
  }

  /** An ISO-8601 instant, a date-time with offset, a local date-time (taken as UTC) or epoch milliseconds. */
  static long parseTime(String field, String text) throws InvalidEventException {
    try {
      return JsonFields.dateTimeMillis("field '" + field + "'", text);
    } catch (IllegalArgumentException e) {
      throw new InvalidEventException("no event time: " + e.getMessage());
    }
  }

}
