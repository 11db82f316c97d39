package io.ehbeam.transforms.aggregate;

import io.ehbeam.transforms.options.Choice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ehbeam.transforms.json.Json;
import io.ehbeam.transforms.json.JsonFields;
import static io.ehbeam.transforms.json.JsonFields.number;
import static io.ehbeam.transforms.json.JsonFields.text;
import java.io.Serializable;
import java.util.Locale;
import org.apache.beam.sdk.transforms.windowing.CalendarWindows;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;
import org.joda.time.Duration;

/**
 * What to aggregate: which events (a preset), grouped by what, over which calendar period, in which
 * time zone. The temperature preset groups the temperature experiment's readings by location (city, latitude,
 * longitude) and month, day or hour; the devices preset groups the streaming-at-scale sample's events by device type
 * per minute and also counts distinct devices.
 */
public final class Aggregation implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Which events. */
  public enum Preset implements Choice.Word {
    TEMPERATURES,
    DEVICES;

    @Override
    public String toString() {
      return Choice.spelled(this);
    }
  }

  /** The calendar period of a window. */
  public enum Period implements Choice.Word {
    MONTH,
    DAY,
    HOUR,
    MINUTE;

    @Override
    public String toString() {
      return Choice.spelled(this);
    }
  }

  public final Preset preset;
  public final Period period;
  public final String timeZone;

  public Aggregation(Preset preset, Period period, String timeZone) {
    this.preset = preset;
    this.period = period;
    this.timeZone = timeZone;
    DateTimeZone.forID(timeZone); // fails early on an unknown zone
  }

  /**
   * {@code --preset}, {@code --groupBy} and {@code --timeZone}: the devices preset is per minute
   * whatever {@code groupBy} says; temperatures are per month, day or hour.
   */
  public static Aggregation of(Preset preset, Period groupBy, String timeZone) {
    Period period = preset == Preset.DEVICES ? Period.MINUTE : groupBy;
    if (period == Period.MINUTE && preset != Preset.DEVICES) {
      throw new IllegalArgumentException("--groupBy must be month, day or hour, got '" + groupBy + "'");
    }
    try {
      DateTimeZone.forID(timeZone);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--timeZone '" + timeZone + "' is not a time zone id (e.g. UTC, Europe/Paris)");
    }
    return new Aggregation(preset, period, timeZone);
  }

  public DateTimeZone zone() {
    return DateTimeZone.forID(timeZone);
  }

  /** Calendar windows of the period, in the time zone. */
  public WindowFn<Object, ?> windows() {
    switch (period) {
      case MONTH:
        return CalendarWindows.months(1).withTimeZone(zone());
      case DAY:
        return CalendarWindows.days(1).withTimeZone(zone());
      case HOUR:
        return FixedWindows.of(Duration.standardHours(1)).withOffset(Duration.millis(
            Math.floorMod(-zone().getOffset(0L), Duration.standardHours(1).getMillis())));
      default:
        return FixedWindows.of(Duration.standardMinutes(1));
    }
  }

  /** The group key of an event (as canonical JSON, so the key coder is deterministic), or an error. */
  public String keyOf(JsonNode event) {
    ObjectNode key = Json.MAPPER.createObjectNode();
    if (preset == Preset.DEVICES) {
      key.put("type", text(event, "type"));
    } else {
      JsonNode city = event.get("city");
      key.put("city", city == null || city.isNull() ? null : city.asText());
      key.put("latitude", number(event, "latitude"));
      key.put("longitude", number(event, "longitude"));
    }
    return key.toString();
  }

  /** The field holding an event's own time: a reading's {@code time}, a device event's {@code createdAt}. */
  public String eventTimeField() {
    return preset == Preset.DEVICES ? "createdAt" : "time";
  }

  /** The measured value and its source. */
  public Measurement measurementOf(JsonNode event) {
    // The period comes from the element's timestamp (the event's own time unless the job reads broker
    // time); an event whose own time is not a date-time is broken either way.
    JsonFields.dateTimeMillis(event, eventTimeField());
    if (preset == Preset.DEVICES) {
      return new Measurement(number(event, "value"), text(event, "deviceId"));
    }
    return new Measurement(number(event, "temperature_2m"), null);
  }

  /** The result row: the key's fields, the period, the statistics. */
  public ObjectNode row(String key, IntervalWindow window, Stats stats) {
    ObjectNode row = (ObjectNode) read(key);
    DateTime start = window.start().toDateTime(zone());
    row.put("year", start.getYear());
    row.put("month", start.getMonthOfYear());
    if (period != Period.MONTH) {
      row.put("day", start.getDayOfMonth());
    }
    if (period == Period.HOUR || period == Period.MINUTE) {
      row.put("hour", start.getHourOfDay());
    }
    if (period == Period.MINUTE) {
      row.put("minute", start.getMinuteOfHour());
    }
    row.put("count", stats.count);
    row.put("min", stats.min);
    row.put("max", stats.max);
    row.put("mean", stats.mean());
    if (preset == Preset.DEVICES) {
      row.put("distinctDevices", stats.sources.size());
    }
    return row;
  }

  /** The Avro schema of a result row (Parquet files), field for field as the JSON rows. */
  public org.apache.avro.Schema rowSchema() {
    org.apache.avro.SchemaBuilder.FieldAssembler<org.apache.avro.Schema> fields =
        org.apache.avro.SchemaBuilder.record(preset == Preset.DEVICES ? "DeviceTypeStatistics" : "TemperatureStatistics")
            .namespace("io.ehbeam.aggregate").fields();
    if (preset == Preset.DEVICES) {
      fields = fields.requiredString("type");
    } else {
      fields = fields.optionalString("city").requiredDouble("latitude").requiredDouble("longitude");
    }
    fields = fields.requiredInt("year").requiredInt("month");
    if (period != Period.MONTH) {
      fields = fields.requiredInt("day");
    }
    if (period == Period.HOUR || period == Period.MINUTE) {
      fields = fields.requiredInt("hour");
    }
    if (period == Period.MINUTE) {
      fields = fields.requiredInt("minute");
    }
    fields = fields.requiredLong("count").requiredDouble("min").requiredDouble("max").requiredDouble("mean");
    if (preset == Preset.DEVICES) {
      fields = fields.requiredInt("distinctDevices");
    }
    return fields.requiredString("timing").requiredBoolean("final").endRecord();
  }

  /** A JSON row as an Avro record of {@link #rowSchema}. */
  public static org.apache.avro.generic.GenericRecord toRecord(org.apache.avro.Schema schema, String rowJson) {
    JsonNode row = read(rowJson);
    org.apache.avro.generic.GenericData.Record record = new org.apache.avro.generic.GenericData.Record(schema);
    for (org.apache.avro.Schema.Field field : schema.getFields()) {
      JsonNode v = row.get(field.name());
      Object value;
      if (v == null || v.isNull()) {
        value = null;
      } else {
        org.apache.avro.Schema.Type type = field.schema().getType() == org.apache.avro.Schema.Type.UNION
            ? field.schema().getTypes().get(1).getType() : field.schema().getType();
        switch (type) {
          case INT: value = v.asInt(); break;
          case LONG: value = v.asLong(); break;
          case DOUBLE: value = v.asDouble(); break;
          case BOOLEAN: value = v.asBoolean(); break;
          default: value = v.asText();
        }
      }
      record.put(field.name(), value);
    }
    return record;
  }

  private static JsonNode read(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }


}
