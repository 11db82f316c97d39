package io.ehbeam.transforms.aggregate;

import static io.ehbeam.transforms.json.JsonFields.number;
import static io.ehbeam.transforms.json.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ehbeam.transforms.json.Json;
import io.ehbeam.transforms.json.JsonFields;
import io.ehbeam.transforms.options.Choice;
import java.io.Serializable;
import java.util.Locale;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.windowing.CalendarWindows;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.values.Row;
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

  private final Schema rowSchema;

  public Aggregation(Preset preset, Period period, String timeZone) {
    this.preset = preset;
    this.period = period;
    this.timeZone = timeZone;
    DateTimeZone.forID(timeZone); // fails early on an unknown zone
    this.rowSchema = buildRowSchema();
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

  /** The top-level fields {@link #keyOf} and {@link #measurementOf} read: an event's others need not be parsed. */
  public java.util.Set<String> fieldsRead() {
    return preset == Preset.DEVICES ? java.util.Set.of("type", "createdAt", "value", "deviceId")
        : java.util.Set.of("city", "latitude", "longitude", "time", "temperature_2m");
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

  /** The schema of a result row: the group's fields, the period, the statistics, the pane. */
  public Schema rowSchema() {
    return rowSchema;
  }

  private Schema buildRowSchema() {
    Schema.Builder fields = Schema.builder();
    if (preset == Preset.DEVICES) {
      fields.addStringField("type");
    } else {
      fields.addNullableField("city", Schema.FieldType.STRING).addDoubleField("latitude").addDoubleField("longitude");
    }
    fields.addInt32Field("year").addInt32Field("month");
    if (period != Period.MONTH) {
      fields.addInt32Field("day");
    }
    if (period == Period.HOUR || period == Period.MINUTE) {
      fields.addInt32Field("hour");
    }
    if (period == Period.MINUTE) {
      fields.addInt32Field("minute");
    }
    fields.addInt64Field("count").addDoubleField("min").addDoubleField("max").addDoubleField("mean");
    if (preset == Preset.DEVICES) {
      fields.addInt32Field("distinctDevices");
    }
    return fields.addStringField("timing").addBooleanField("final").build();
  }

  /** The result row of a group's statistics over a period, with its pane's timing and whether it is the last. */
  public Row row(String key, IntervalWindow window, Stats stats, String timing, boolean last) {
    JsonNode group = read(key);
    Row.Builder row = Row.withSchema(rowSchema);
    if (preset == Preset.DEVICES) {
      row.addValue(group.get("type").asText());
    } else {
      row.addValues(group.get("city").isNull() ? null : group.get("city").asText(),
          group.get("latitude").asDouble(), group.get("longitude").asDouble());
    }
    DateTime start = window.start().toDateTime(zone());
    row.addValues(start.getYear(), start.getMonthOfYear());
    if (period != Period.MONTH) {
      row.addValue(start.getDayOfMonth());
    }
    if (period == Period.HOUR || period == Period.MINUTE) {
      row.addValue(start.getHourOfDay());
    }
    if (period == Period.MINUTE) {
      row.addValue(start.getMinuteOfHour());
    }
    row.addValues(stats.count, stats.min, stats.max, stats.mean());
    if (preset == Preset.DEVICES) {
      row.addValue(stats.sources.size());
    }
    return row.addValues(timing, last).build();
  }

  /** The Avro schema of a result row (Parquet files), field for field as {@link #rowSchema}. */
  public org.apache.avro.Schema avroSchema() {
    return AvroUtils.toAvroSchema(rowSchema,
        preset == Preset.DEVICES ? "DeviceTypeStatistics" : "TemperatureStatistics", "io.ehbeam.aggregate");
  }

  private static JsonNode read(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
