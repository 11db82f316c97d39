package io.ehbeam.transforms.archive;

import io.ehbeam.transforms.options.Choice;

import com.fasterxml.jackson.databind.JsonNode;
import io.ehbeam.transforms.json.EventDocument.InvalidEventException;
import io.ehbeam.transforms.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.beam.sdk.io.kafka.KafkaRecord;

/**
 * The shape of archived records in Parquet and Avro: an event schema of {@code datafiles/schemas}
 * (a JSON Schema, translated to Avro here so that it is written once) followed by the fields the
 * archive adds ({@link #ARCHIVE_FIELDS}); or, for {@code raw}, a generic envelope with the event
 * as a string. Also names the schema's own event-time field.
 */
public final class ArchiveSchema implements Serializable {
  public static final String YEAR = "year";
  public static final String MONTH = "month";
  public static final String DAY = "day";
  public static final String HOUR = "hour";
  public static final String ENQUEUED_AT = "enqueuedAt";
  public static final String PARTITION = "partition";
  public static final String OFFSET = "offset";
  /** What every archived record carries, in this order. */
  public static final List<String> ARCHIVE_FIELDS = List.of(YEAR, MONTH, DAY, HOUR, ENQUEUED_AT, PARTITION, OFFSET);
  private static final java.util.Set<String> ARCHIVE_FIELD_NAMES = java.util.Set.copyOf(ARCHIVE_FIELDS);

  /** Schema names: a file of datafiles/schemas, and the event-time field it defines. */
  private static final Map<String, String[]> KNOWN = new LinkedHashMap<>();

  static {
    KNOWN.put("temperature", new String[] {"temperature-reading.schema.json", "time"});
    KNOWN.put("device", new String[] {"device-event.schema.json", "createdAt"});
    KNOWN.put("raw", new String[] {null, null});
    KNOWN.put("capture", new String[] {"eventhubs-capture.avsc", null});
  }

  private final String name;
  private final String timeField;
  private final String avroJson;
  private transient Schema avro;

  private ArchiveSchema(String name, String timeField, Schema avro) {
    this.name = name;
    this.timeField = timeField;
    this.avroJson = avro.toString();
    this.avro = avro;
  }

  /** The schemas the archive knows ({@code --schema}). */
  public enum Kind implements Choice.Word {
    /** Chosen at start from a sample of the hub: a known shape the events match, else inferred ({@link #forSample}). */
    AUTO,
    TEMPERATURE,
    DEVICE,
    RAW,
    /** Event Hubs Capture's own Avro record: every event, any body, as bytes. */
    CAPTURE;

    @Override
    public String toString() {
      return Choice.spelled(this);
    }
  }

  public static ArchiveSchema of(Kind kind) {
    if (kind == Kind.AUTO) {
      throw new IllegalArgumentException("the auto schema is chosen from a sample: ArchiveSchema.forSample");
    }
    String key = kind.toString();
    String[] known = KNOWN.get(key);
    Schema avro = kind == Kind.CAPTURE ? fromAvroSchema(known[0]) : known[0] == null ? rawEnvelope() : fromJsonSchema(known[0]);
    return new ArchiveSchema(key, known[1], avro);
  }

  /**
   * The schema for events like {@code sample} (record values): a known event shape (temperature,
   * device) if every JSON object of the sample fits it, else one inferred from the sample ({@link
   * InferredSchema}); the raw envelope if the sample holds no JSON object (an empty hub).
   */
  public static ArchiveSchema forSample(List<byte[]> sample) {
    List<JsonNode> objects = new ArrayList<>();
    for (byte[] value : sample) {
      try {
        JsonNode node = value == null ? null : Json.DOUBLES.readTree(value);
        if (node != null && node.isObject()) {
          objects.add(node);
        }
      } catch (IOException notJson) {
        // not an event any schema holds: a dead letter when it comes
      }
    }
    if (objects.isEmpty()) {
      return of(Kind.RAW);
    }
    for (Kind known : List.of(Kind.TEMPERATURE, Kind.DEVICE)) {
      ArchiveSchema schema = of(known);
      if (objects.stream().allMatch(schema::fits)) {
        return schema;
      }
    }
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : InferredSchema.fields(objects, "InferredEvent")) {
      if (!ARCHIVE_FIELDS.contains(f.name())) {
        fields.add(new Schema.Field(f, f.schema()));
      }
    }
    fields.addAll(archiveFields());
    return new ArchiveSchema("inferred", null, Schema.createRecord("InferredEvent",
        "Inferred from " + objects.size() + " events", "io.ehbeam.archive", false, fields));
  }

  /**
   * The schema an archive wrote with before, from its kept Avro schema ({@code _schema.avsc}): a
   * known shape if it is one, else an inferred one.
   */
  public static ArchiveSchema kept(Schema avro) {
    for (Kind known : List.of(Kind.TEMPERATURE, Kind.DEVICE, Kind.RAW)) {
      if (of(known).avro().equals(avro)) {
        return of(known);
      }
    }
    return new ArchiveSchema("inferred", null, avro);
  }

  private boolean fits(JsonNode event) {
    try {
      write(event, new ArchivedEvent(0, 0, 0, 0, null, null, null), null,
          EncoderFactory.get().directBinaryEncoder(java.io.OutputStream.nullOutputStream(), null));
      return true;
    } catch (InvalidEventException e) {
      return false;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // writing to nowhere does not fail
    }
  }

  public String name() {
    return name;
  }

  /** Inferred from a sample: strings take any value (as its JSON text), as the inference widened them. */
  public boolean isInferred() {
    return name.equals("inferred");
  }

  /** The schema's own event-time field, or null (raw: the record timestamp). */
  public String timeField() {
    return timeField;
  }

  public boolean isRaw() {
    return name.equals("raw");
  }

  /** Event Hubs Capture's record: the event as bytes, not read as JSON. */
  public boolean isCapture() {
    return name.equals("capture");
  }

  /** .NET's invariant {@code M/d/yyyy h:mm:ss tt}, in UTC: how Capture writes {@code EnqueuedTimeUtc}. */
  private static final java.time.format.DateTimeFormatter CAPTURE_TIME = java.time.format.DateTimeFormatter
      .ofPattern("M/d/yyyy h:mm:ss a", Locale.US).withZone(java.time.ZoneOffset.UTC);

  /**
   * The Capture record of a record read from a hub: its offset as sequence number and offset (on
   * the Kafka endpoint the offset is the sequence number; Event Hubs' byte offset is not exposed),
   * its enqueue time, the system properties Capture writes ({@code x-opt-sequence-number}, {@code
   * x-opt-offset}, {@code x-opt-enqueued-time} in epoch milliseconds, {@code x-opt-partition-key}
   * from the key: a string if it is UTF-8, else bytes), its headers as {@code Properties} (bytes,
   * as Kafka holds them; of a repeated header the last; no value as empty bytes), and its value as
   * the body, null included.
   */
  public GenericRecord toCaptureRecord(KafkaRecord<byte[], byte[]> record) {
    GenericData.Record capture = new GenericData.Record(avro());
    capture.put("SequenceNumber", record.getOffset());
    capture.put("Offset", Long.toString(record.getOffset()));
    capture.put("EnqueuedTimeUtc", CAPTURE_TIME.format(java.time.Instant.ofEpochMilli(record.getTimestamp())));
    Map<String, Object> system = new LinkedHashMap<>();
    system.put("x-opt-sequence-number", record.getOffset());
    system.put("x-opt-offset", Long.toString(record.getOffset()));
    system.put("x-opt-enqueued-time", record.getTimestamp());
    byte[] key = record.getKV().getKey();
    if (key != null) {
      system.put("x-opt-partition-key", utf8OrBytes(key));
    }
    capture.put("SystemProperties", system);
    Map<String, Object> properties = new LinkedHashMap<>();
    if (record.getHeaders() != null) {
      for (org.apache.kafka.common.header.Header h : record.getHeaders()) {
        // Capture's property values are never null: a header without a value is kept as empty bytes.
        properties.put(h.key(), java.nio.ByteBuffer.wrap(h.value() == null ? new byte[0] : h.value()));
      }
    }
    capture.put("Properties", properties);
    byte[] body = record.getKV().getValue();
    capture.put("Body", body == null ? null : java.nio.ByteBuffer.wrap(body));
    return capture;
  }

  private static Object utf8OrBytes(byte[] bytes) {
    try {
      return java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return java.nio.ByteBuffer.wrap(bytes);
    }
  }

  static Schema fromAvroSchema(String resource) {
    try (InputStream in = ArchiveSchema.class.getResourceAsStream("/io/ehbeam/schemas/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("schema " + resource + " is not on the classpath");
      }
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read schema " + resource, e);
    }
  }

  public Schema avro() {
    if (avro == null) {
      avro = new Schema.Parser().parse(avroJson);
    }
    return avro;
  }

  /**
   * Writes the Avro record of one event in Avro's binary encoding, field by field from the JSON tree
   * (no record object in between: building and then encoding one was a sixth of the archive's check
   * per event). {@code event} is the event's JSON object (with or without the archive's fields) or, for raw,
   * null with {@code body} set. The archive's fields the event lacks come from {@code meta}.
   *
   * @throws InvalidEventException naming the field that is missing or has the wrong type
   */
  public void write(JsonNode event, ArchivedEvent meta, String body, Encoder out) throws InvalidEventException, IOException {
    if (isRaw()) {
      if (meta.key == null) {
        out.writeIndex(0);
      } else {
        out.writeIndex(1);
        out.writeString(new String(meta.key, java.nio.charset.StandardCharsets.UTF_8));
      }
      out.writeString(body);
      out.writeString(meta.eventTime());
      for (Schema.Field field : avro().getFields().subList(3, avro().getFields().size())) {
        writeArchiveField(field.name(), meta, out);
      }
      return;
    }
    writeFields(avro(), event, "", isInferred(), meta, out);
  }

  private static void writeFields(Schema schema, JsonNode event, String path, boolean lenient, ArchivedEvent meta, Encoder out)
      throws InvalidEventException, IOException {
    for (Schema.Field field : schema.getFields()) {
      String jsonName = field.getProp(InferredSchema.JSON_NAME);
      String key = jsonName != null ? jsonName : field.name();
      if (meta != null && ARCHIVE_FIELD_NAMES.contains(field.name()) && !event.has(key)) {
        writeArchiveField(field.name(), meta, out);
      } else {
        write(path + key, field.schema(), event.get(key), lenient, out);
      }
    }
  }

  /** An archive field's own value: of the event time in UTC, or where the event was read. */
  private static void writeArchiveField(String name, ArchivedEvent meta, Encoder out) throws IOException {
    switch (name) {
      case YEAR:
        out.writeInt(meta.eventTimeUtc().getYear());
        break;
      case MONTH:
        out.writeInt(meta.eventTimeUtc().getMonthValue());
        break;
      case DAY:
        out.writeInt(meta.eventTimeUtc().getDayOfMonth());
        break;
      case HOUR:
        out.writeInt(meta.eventTimeUtc().getHour());
        break;
      case ENQUEUED_AT:
        out.writeString(meta.enqueuedAt());
        break;
      case PARTITION:
        out.writeInt(meta.partition);
        break;
      case OFFSET:
        out.writeLong(meta.offset);
        break;
      default:
        throw new IllegalStateException("not an archive field: " + name);
    }
  }

  private static void write(String name, Schema schema, JsonNode value, boolean lenient, Encoder out)
      throws InvalidEventException, IOException {
    boolean nullable = schema.getType() == Schema.Type.UNION;
    Schema type = nullable ? schema.getTypes().get(1) : schema;
    if (value == null || value.isNull()) {
      if (nullable) {
        out.writeIndex(0);
        return;
      }
      throw new InvalidEventException("missing required field '" + name + "'");
    }
    if (nullable) {
      out.writeIndex(1);
    }
    switch (type.getType()) {
      case DOUBLE:
        if (!value.isNumber()) {
          throw wrongType(name, "a number", value);
        }
        out.writeDouble(value.doubleValue());
        break;
      case LONG:
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
          throw wrongType(name, "an integer", value);
        }
        out.writeLong(value.longValue());
        break;
      case INT:
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
          throw wrongType(name, "an integer", value);
        }
        out.writeInt(value.intValue());
        break;
      case BOOLEAN:
        if (!value.isBoolean()) {
          throw wrongType(name, "true or false", value);
        }
        out.writeBoolean(value.booleanValue());
        break;
      case STRING:
        if (!value.isTextual()) {
          if (!lenient) {
            throw wrongType(name, "a string", value);
          }
          out.writeString(value.toString()); // a field the sample showed in several kinds: its JSON text
        } else {
          out.writeString(value.textValue());
        }
        break;
      case RECORD:
        if (!value.isObject()) {
          throw wrongType(name, "an object", value);
        }
        writeFields(type, value, name + ".", lenient, null, out);
        break;
      case ARRAY:
        if (!value.isArray()) {
          throw wrongType(name, "an array", value);
        }
        out.writeArrayStart();
        out.setItemCount(value.size());
        for (JsonNode item : value) {
          out.startItem();
          write(name + "[]", type.getElementType(), item, lenient, out);
        }
        out.writeArrayEnd();
        break;
      case MAP:
        if (!value.isObject()) {
          throw wrongType(name, "an object", value);
        }
        out.writeMapStart();
        out.setItemCount(value.size());
        Iterator<Map.Entry<String, JsonNode>> entries = value.fields();
        while (entries.hasNext()) {
          Map.Entry<String, JsonNode> e = entries.next();
          out.startItem();
          out.writeString(e.getKey());
          write(name + "." + e.getKey(), type.getValueType(), e.getValue(), lenient, out);
        }
        out.writeMapEnd();
        break;
      default:
        throw new IllegalStateException("unsupported Avro type " + type);
    }
  }

  private static InvalidEventException wrongType(String name, String expected, JsonNode value) {
    return new InvalidEventException("field '" + name + "' must be " + expected + ", got " + value.getNodeType().name().toLowerCase(Locale.ROOT));
  }

  /** Translates the subset of JSON Schema the event schemas use, then appends the archive fields. */
  static Schema fromJsonSchema(String resource) {
    JsonNode jsonSchema;
    try (InputStream in = ArchiveSchema.class.getResourceAsStream("/io/ehbeam/schemas/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("schema " + resource + " is not on the classpath");
      }
      jsonSchema = Json.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read schema " + resource, e);
    }
    Set<String> required = new HashSet<>();
    jsonSchema.path("required").forEach(r -> required.add(r.asText()));
    List<Schema.Field> fields = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> properties = jsonSchema.get("properties").fields();
    while (properties.hasNext()) {
      Map.Entry<String, JsonNode> p = properties.next();
      if (ARCHIVE_FIELDS.contains(p.getKey())) {
        continue; // added below, with the archive's meaning unless the event has its own value
      }
      Schema type = avroType(p.getKey(), p.getValue());
      fields.add(required.contains(p.getKey())
          ? new Schema.Field(p.getKey(), type, null, (Object) null)
          : new Schema.Field(p.getKey(), Schema.createUnion(Schema.create(Schema.Type.NULL), type), null, JsonProperties.NULL_VALUE));
    }
    fields.addAll(archiveFields());
    return Schema.createRecord(jsonSchema.get("title").asText(), jsonSchema.path("description").asText(null), "io.ehbeam.archive", false, fields);
  }

  private static Schema avroType(String name, JsonNode property) {
    switch (property.path("type").asText()) {
      case "number":
        return Schema.create(Schema.Type.DOUBLE);
      case "integer":
        return Schema.create(Schema.Type.LONG);
      case "string":
        return Schema.create(Schema.Type.STRING);
      case "boolean":
        return Schema.create(Schema.Type.BOOLEAN);
      case "object":
        return Schema.createMap(avroType(name + ".*", property.path("additionalProperties")));
      default:
        throw new IllegalStateException("field " + name + ": JSON Schema type '" + property.path("type").asText() + "' has no Avro translation here");
    }
  }

  static Schema rawEnvelope() {
    List<Schema.Field> fields = new ArrayList<>();
    Schema optionalString = Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING));
    fields.add(new Schema.Field("key", optionalString, "the record key", JsonProperties.NULL_VALUE));
    fields.add(new Schema.Field("body", Schema.create(Schema.Type.STRING), "the event as received", (Object) null));
    fields.add(new Schema.Field("eventTime", Schema.create(Schema.Type.STRING), "the event time year..hour come from", (Object) null));
    fields.addAll(archiveFields());
    return Schema.createRecord("RawEvent", "Any event, kept as a string", "io.ehbeam.archive", false, fields);
  }

  private static List<Schema.Field> archiveFields() {
    Schema integer = Schema.create(Schema.Type.INT);
    return List.of(
        new Schema.Field(YEAR, integer, "of the event time, UTC", (Object) null),
        new Schema.Field(MONTH, integer, null, (Object) null),
        new Schema.Field(DAY, integer, null, (Object) null),
        new Schema.Field(HOUR, integer, null, (Object) null),
        new Schema.Field(ENQUEUED_AT, Schema.create(Schema.Type.STRING), "when the hub received the event (record timestamp)", (Object) null),
        new Schema.Field(PARTITION, integer, null, (Object) null),
        new Schema.Field(OFFSET, Schema.create(Schema.Type.LONG), null, (Object) null));
  }
}
