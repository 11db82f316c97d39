package io.ehbeam.transforms.archive;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ehbeam.transforms.json.EventDocument.InvalidEventException;
import io.ehbeam.transforms.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** The schema the archive picks for Parquet and Avro from a sample of events, and records in it. */
class InferredSchemaTest {
  private static List<byte[]> sample(String... events) {
    List<byte[]> values = new ArrayList<>();
    for (String e : events) {
      values.add(e == null ? null : e.getBytes(UTF_8));
    }
    return values;
  }

  private static Schema typeOf(Schema schema, String field) {
    Schema union = schema.getField(field).schema();
    assertThat(union.getType()).as(field + " may be null").isEqualTo(Schema.Type.UNION);
    return union.getTypes().get(1);
  }

  @Test
  void knownShapesAreChosenWhenEveryEventFitsThem() {
    String reading = "{\"latitude\":48.75,\"longitude\":2.25,\"time\":\"2023-01-05T13:00\",\"temperature_2m\":4.5,"
        + "\"city\":\"Paris\",\"elevation\":43.0}";
    assertThat(ArchiveSchema.forSample(sample(reading, reading, "not json")).name()).isEqualTo("temperature");
    assertThat(ArchiveSchema.forSample(sample(reading, "{\"latitude\":1}")).name()).isEqualTo("inferred");
    assertThat(ArchiveSchema.forSample(sample("not json", null, "[1,2]")).name()).as("no JSON object: nothing to infer from").isEqualTo("raw");
    assertThat(ArchiveSchema.forSample(List.of()).name()).isEqualTo("raw");
  }

  @Test
  void typesAreWidenedAcrossTheSampleAndNestedObjectsBecomeRecords() {
    ArchiveSchema schema = ArchiveSchema.forSample(sample(
        "{\"id\":1,\"reading\":20,\"status\":\"ok\",\"outside-temp\":3,\"tags\":[\"a\"],\"site\":{\"name\":\"north\",\"floor\":2}}",
        "{\"id\":2,\"reading\":20.5,\"status\":7,\"extra\":true,\"tags\":[],\"site\":{\"name\":\"south\",\"zone\":{\"x\":1}}}",
        "{\"id\":3,\"reading\":null,\"status\":null,\"site\":null,\"only_null\":null}"));
    Schema avro = schema.avro();
    assertThat(schema.name()).isEqualTo("inferred");
    assertThat(avro.getFields()).extracting(Schema.Field::name).startsWith("id", "reading", "status", "outside_temp",
        "tags", "site", "extra", "only_null").endsWith(ArchiveSchema.ARCHIVE_FIELDS.toArray(new String[0]));
    assertThat(typeOf(avro, "id").getType()).isEqualTo(Schema.Type.LONG);
    assertThat(typeOf(avro, "reading").getType()).as("long and double: double").isEqualTo(Schema.Type.DOUBLE);
    assertThat(typeOf(avro, "status").getType()).as("string and number: string").isEqualTo(Schema.Type.STRING);
    assertThat(typeOf(avro, "extra").getType()).isEqualTo(Schema.Type.BOOLEAN);
    assertThat(typeOf(avro, "only_null").getType()).isEqualTo(Schema.Type.STRING);
    assertThat(avro.getField("outside_temp").getProp(InferredSchema.JSON_NAME)).isEqualTo("outside-temp");
    assertThat(typeOf(avro, "tags").getType()).isEqualTo(Schema.Type.ARRAY);
    Schema site = typeOf(avro, "site");
    assertThat(site.getType()).isEqualTo(Schema.Type.RECORD);
    assertThat(site.getFields()).extracting(Schema.Field::name).containsExactly("name", "floor", "zone");
    assertThat(typeOf(site, "zone").getType()).isEqualTo(Schema.Type.RECORD);
  }

  @Test
  void eventsBecomeTypedRecordsAndThoseThatDoNotFitAreRefusedWithTheField() throws Exception {
    ArchiveSchema schema = ArchiveSchema.forSample(sample(
        "{\"id\":1,\"status\":\"ok\",\"outside-temp\":3.5,\"tags\":[\"a\",\"b\"],\"site\":{\"name\":\"north\",\"floor\":2}}",
        "{\"id\":2,\"status\":7}"));
    ArchivedEvent meta = new ArchivedEvent(1, 42, 1_000, 1_000, null, null, null);
    GenericRecord r = ArchiveRecords.of(schema, Json.DOUBLES.readTree(
        "{\"id\":5,\"status\":{\"code\":3},\"outside-temp\":4,\"tags\":[\"x\"],\"site\":{\"name\":\"east\"},\"new\":1}"), meta, null);
    assertThat(r.get("id")).isEqualTo(5L);
    assertThat(r.get("status")).as("a widened field holds the value's JSON text").hasToString("{\"code\":3}");
    assertThat(r.get("outside_temp")).isEqualTo(4.0);
    assertThat((List<?>) r.get("tags")).extracting(Object::toString).containsExactly("x");
    assertThat(((GenericRecord) r.get("site")).get("name")).hasToString("east");
    assertThat(((GenericRecord) r.get("site")).get("floor")).isNull();
    assertThat(r.get("offset")).isEqualTo(42L);
    assertThat(r.get("partition")).isEqualTo(1);

    // The archive's fields an event lacks: of its event time in UTC, before and after 1970.
    for (String time : new String[] {"2024-02-29T23:59:59.999Z", "1969-12-31T23:00:00Z"}) {
      java.time.ZonedDateTime t = java.time.ZonedDateTime.parse(time);
      GenericRecord at = ArchiveRecords.of(schema, Json.DOUBLES.readTree("{\"id\":1}"),
          new ArchivedEvent(0, 7, 5_000, t.toInstant().toEpochMilli(), null, null, null), null);
      assertThat(List.of(at.get("year"), at.get("month"), at.get("day"), at.get("hour"))).as(time)
          .containsExactly(t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour());
      assertThat(at.get("enqueuedAt")).hasToString("1970-01-01T00:00:05.000Z");
    }

    assertThatThrownBy(() -> ArchiveRecords.of(schema, Json.DOUBLES.readTree("{\"id\":\"five\"}"), meta, null))
        .isInstanceOf(InvalidEventException.class).hasMessageContaining("field 'id' must be an integer");
    assertThatThrownBy(() -> ArchiveRecords.of(schema, Json.DOUBLES.readTree("{\"site\":{\"floor\":2.5}}"), meta, null))
        .isInstanceOf(InvalidEventException.class).hasMessageContaining("field 'site.floor' must be an integer");
  }
}
