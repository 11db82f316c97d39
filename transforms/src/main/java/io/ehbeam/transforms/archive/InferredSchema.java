package io.ehbeam.transforms.archive;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;

/**
 * An Avro record schema inferred from a sample of JSON objects, the way Spark infers JSON: every
 * field seen in any object is kept (in first-seen order), nested objects become records and arrays
 * arrays; types are widened across the sample (integers and decimals to double, and conflicting
 * kinds to string, which then holds the value's JSON text); every field may be null. A JSON key
 * that is not an Avro name gets one ({@code outside-temp} becomes {@code outside_temp}) and keeps
 * its key in the field's {@value #JSON_NAME} property.
 */
public final class InferredSchema {
  /** The JSON key a field was inferred from, where it differs from the field's Avro name. */
  public static final String JSON_NAME = "jsonName";

  private InferredSchema() {}

  /** Fields of the top-level record (no archive fields), or null when no sample was an object. */
  public static List<Schema.Field> fields(List<JsonNode> sample, String recordName) {
    Kind merged = null;
    for (JsonNode node : sample) {
      if (node != null && node.isObject()) {
        merged = merge(merged, of(node));
      }
    }
    if (merged == null) {
      return null;
    }
    return recordFields(merged, recordName, new HashSet<>());
  }

  /** A value's shape: a primitive type, or a record's fields, or an array's items. */
  private static final class Kind {
    final Schema.Type type;
    final LinkedHashMap<String, Kind> fields;
    final Kind items;

    Kind(Schema.Type type, LinkedHashMap<String, Kind> fields, Kind items) {
      this.type = type;
      this.fields = fields;
      this.items = items;
    }

    static Kind primitive(Schema.Type type) {
      return new Kind(type, null, null);
    }
  }

  private static Kind of(JsonNode node) {
    if (node.isObject()) {
      LinkedHashMap<String, Kind> fields = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        fields.put(e.getKey(), of(e.getValue()));
      }
      return new Kind(Schema.Type.RECORD, fields, null);
    }
    if (node.isArray()) {
      Kind items = null;
      for (JsonNode item : node) {
        items = merge(items, of(item));
      }
      return new Kind(Schema.Type.ARRAY, null, items == null ? Kind.primitive(Schema.Type.NULL) : items);
    }
    if (node.isNull()) {
      return Kind.primitive(Schema.Type.NULL);
    }
    if (node.isBoolean()) {
      return Kind.primitive(Schema.Type.BOOLEAN);
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return Kind.primitive(Schema.Type.LONG);
    }
    if (node.isNumber()) {
      return Kind.primitive(Schema.Type.DOUBLE);
    }
    return Kind.primitive(Schema.Type.STRING);
  }

  /** The narrowest shape both fit: null gives way to anything, long to double, any other conflict to string. */
  private static Kind merge(Kind a, Kind b) {
    if (a == null || a.type == Schema.Type.NULL) {
      return b;
    }
    if (b == null || b.type == Schema.Type.NULL) {
      return a;
    }
    if (a.type == Schema.Type.RECORD && b.type == Schema.Type.RECORD) {
      LinkedHashMap<String, Kind> fields = new LinkedHashMap<>(a.fields);
      b.fields.forEach((name, kind) -> fields.merge(name, kind, InferredSchema::merge));
      return new Kind(Schema.Type.RECORD, fields, null);
    }
    if (a.type == Schema.Type.ARRAY && b.type == Schema.Type.ARRAY) {
      return new Kind(Schema.Type.ARRAY, null, merge(a.items, b.items));
    }
    if (a.type == b.type) {
      return a;
    }
    boolean numbers = (a.type == Schema.Type.LONG || a.type == Schema.Type.DOUBLE)
        && (b.type == Schema.Type.LONG || b.type == Schema.Type.DOUBLE);
    return Kind.primitive(numbers ? Schema.Type.DOUBLE : Schema.Type.STRING);
  }

  private static List<Schema.Field> recordFields(Kind record, String recordName, Set<String> recordNames) {
    List<Schema.Field> fields = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Map.Entry<String, Kind> e : record.fields.entrySet()) {
      String name = avroName(e.getKey(), names);
      Schema type = schema(e.getValue(), recordName + "_" + name, recordNames);
      Schema.Field field = new Schema.Field(name, nullable(type), null, JsonProperties.NULL_VALUE);
      if (!name.equals(e.getKey())) {
        field.addProp(JSON_NAME, e.getKey());
      }
      fields.add(field);
    }
    return fields;
  }

  private static Schema schema(Kind kind, String name, Set<String> recordNames) {
    switch (kind.type) {
      case RECORD:
        String unique = name;
        for (int n = 2; !recordNames.add(unique); n++) {
          unique = name + n;
        }
        return Schema.createRecord(unique, null, "io.ehbeam.archive.inferred", false,
            recordFields(kind, unique, recordNames));
      case ARRAY:
        // An array seen only empty or null holds strings: the narrowest kind every value fits as text.
        Kind items = kind.items.type == Schema.Type.NULL ? Kind.primitive(Schema.Type.STRING) : kind.items;
        return Schema.createArray(nullable(schema(items, name + "_item", recordNames)));
      case NULL:
        // Only ever null in the sample: kept, as a string column that is null so far.
        return Schema.create(Schema.Type.STRING);
      default:
        return Schema.create(kind.type);
    }
  }

  private static Schema nullable(Schema type) {
    return Schema.createUnion(Schema.create(Schema.Type.NULL), type);
  }

  /** A valid Avro name for {@code key}, unique among {@code taken}. */
  static String avroName(String key, Set<String> taken) {
    StringBuilder b = new StringBuilder();
    for (char c : key.toCharArray()) {
      b.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_') ? c : '_');
    }
    if (b.length() == 0 || Character.isDigit(b.charAt(0))) {
      b.insert(0, '_');
    }
    String name = b.toString();
    String unique = name;
    for (int n = 2; !taken.add(unique); n++) {
      unique = name + "_" + n;
    }
    return unique;
  }
}
