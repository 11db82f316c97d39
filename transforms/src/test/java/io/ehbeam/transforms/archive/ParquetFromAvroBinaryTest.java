package io.ehbeam.transforms.archive;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ehbeam.transforms.json.Json;
import io.ehbeam.transforms.testing.ArchiveFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parquet written from Avro bytes is what parquet-avro's own writer makes of the decoded records:
 * the same file schema and footer schema, and the same records read back by parquet-avro's reader.
 */
class ParquetFromAvroBinaryTest {
  @TempDir Path dir;

  @Test
  void deviceEventsWithTheirMapOfFloats() throws IOException {
    ArchiveSchema schema = ArchiveSchema.of(ArchiveSchema.Kind.DEVICE);
    List<GenericRecord> records = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String complex = i % 7 == 0 ? "" : ",\"complexData\":{" + (i % 5 == 0 ? "" : "\"moreData0\":" + (i * 0.5) + ",\"moreData1\":-" + i + "e-3") + "}";
      records.add(record(schema, "{\"eventId\":\"e-" + i + "\",\"value\":" + (i * 1.25) + ",\"deviceId\":\"contoso-device-id-" + (i % 11)
          + "\",\"deviceSequenceNumber\":" + i + ",\"type\":\"" + (i % 2 == 0 ? "CO2" : "TEMP") + "\",\"createdAt\":\"2026-12-02T10:00:0"
          + (i % 10) + "Z\"" + complex + (i % 3 == 0 ? ",\"enqueuedAt\":\"2026-12-02T10:00:00Z\"" : "") + "}", i));
    }
    assertWrittenAlike(schema.avro(), schema.avro(), true, records);
  }

  @Test
  void temperatureReadings() throws IOException {
    ArchiveSchema schema = ArchiveSchema.of(ArchiveSchema.Kind.TEMPERATURE);
    List<GenericRecord> records = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      records.add(record(schema, "{\"latitude\":48.75,\"longitude\":2.25,\"time\":\"2023-01-05T1" + (i % 10) + ":00\",\"temperature_2m\":"
          + (i - 20.5) + ",\"city\":\"Paris\"" + ",\"elevation\":" + (43 + i) + "}", i));
    }
    assertWrittenAlike(schema.avro(), schema.avro(), true, records);
  }

  @Test
  void rawEnvelopes() throws Exception {
    ArchiveSchema schema = ArchiveSchema.of(ArchiveSchema.Kind.RAW);
    List<GenericRecord> records = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ArchivedEvent meta = new ArchivedEvent(i % 2, i, 1_000L * i, 1_000L * i, i % 3 == 0 ? null : ("k" + i).getBytes(UTF_8), null, null);
      records.add(ArchiveRecords.of(schema, null, meta, "body é " + i));
    }
    assertWrittenAlike(schema.avro(), schema.avro(), true, records);
  }

  @Test
  void captureRecordsWithUnionsOfSeveralTypesAndBytes() throws IOException {
    ArchiveSchema schema = ArchiveSchema.of(ArchiveSchema.Kind.CAPTURE);
    List<GenericRecord> records = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      RecordHeaders headers = new RecordHeaders();
      headers.add(new RecordHeader("h" + i, i % 2 == 0 ? null : new byte[] {1, (byte) i}));
      byte[] key = i % 3 == 0 ? null : i % 3 == 1 ? ("device-" + i).getBytes(UTF_8) : new byte[] {(byte) 0xff, 0};
      byte[] body = i % 4 == 0 ? null : ("{\"n\":" + i + "}").getBytes(UTF_8);
      records.add(schema.toCaptureRecord(new KafkaRecord<>("hub", 1, i, 1_700_000_000_000L + i,
          KafkaTimestampType.LOG_APPEND_TIME, headers, key, body)));
    }
    assertWrittenAlike(schema.avro(), schema.avro(), true, records);
  }

  @Test
  void inferredRecordsWithNestedRecordsArraysAndNulls() throws IOException {
    ArchiveSchema schema = ArchiveSchema.forSample(List.of(
        "{\"id\":1,\"status\":\"ok\",\"outside-temp\":3.5,\"tags\":[\"a\",\"b\"],\"site\":{\"name\":\"north\",\"floor\":2,\"zone\":{\"x\":1}},\"flag\":true}".getBytes(UTF_8),
        "{\"id\":2,\"status\":7,\"tags\":[],\"readings\":[1.5,null,2],\"site\":null}".getBytes(UTF_8)));
    List<GenericRecord> records = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String tags = i % 3 == 0 ? "" : ",\"tags\":[" + (i % 2 == 0 ? "" : "\"t" + i + "\",\"u\"") + "]";
      String readings = i % 4 == 0 ? ",\"readings\":[1.0," + i + "]" : "";
      String site = i % 5 == 0 ? ",\"site\":null" : ",\"site\":{\"name\":\"s" + i + "\"" + (i % 2 == 0 ? ",\"zone\":{\"x\":" + i + "}" : "") + "}";
      records.add(record(schema, "{\"id\":" + i + ",\"status\":" + (i % 2 == 0 ? "\"ok\"" : "{\"code\":" + i + "}") + tags + readings + site
          + (i % 6 == 0 ? ",\"flag\":false" : "") + "}", i));
    }
    assertWrittenAlike(schema.avro(), schema.avro(), true, records);
    assertWrittenAlike(schema.avro(), schema.avro(), false, records);
  }

  @Test
  void aNarrowerFileSchemaLeavesFieldsOutAsDeltaDataFilesDo() throws IOException {
    ArchiveSchema schema = ArchiveSchema.forSample(List.of(
        "{\"id\":1,\"readings\":[1.5,null,2],\"site\":{\"name\":\"north\"}}".getBytes(UTF_8)));
    List<GenericRecord> records = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      records.add(record(schema, "{\"id\":" + i + ",\"readings\":[" + i + ",null],\"site\":{\"name\":\"n" + i + "\"}}", i));
    }
    Schema dataFile = DeltaTable.dataFileSchema(schema.avro());
    assertThat(dataFile.getFields().size()).as("the partition columns are left out").isLessThan(schema.avro().getFields().size());
    List<GenericRecord> projected = new ArrayList<>();
    for (GenericRecord r : records) {
      GenericData.Record p = new GenericData.Record(dataFile);
      dataFile.getFields().forEach(f -> p.put(f.name(), r.get(f.name())));
      projected.add(p);
    }
    Path expected = writeWithParquetAvro(dataFile, false, projected);
    Path actual = writeFromBytes(schema.avro(), dataFile, false, records);
    assertSameFiles(expected, actual);
  }

  @Test
  void aNullElementInATwoLevelListIsRefusedAsParquetAvroRefusesIt() {
    ArchiveSchema schema = ArchiveSchema.forSample(List.of("{\"readings\":[1.5,null]}".getBytes(UTF_8)));
    GenericRecord withNull = record(schema, "{\"readings\":[1.5,null]}", 0);
    assertThatThrownBy(() -> writeFromBytes(schema.avro(), schema.avro(), true, List.of(withNull)))
        .hasMessageContaining("Array contains a null element at 1");
    assertThatThrownBy(() -> writeWithParquetAvro(schema.avro(), true, List.of(withNull)))
        .hasMessageContaining("Array contains a null element at 1");
  }

  private void assertWrittenAlike(Schema recordSchema, Schema fileSchema, boolean oldLists, List<GenericRecord> records)
      throws IOException {
    assertSameFiles(writeWithParquetAvro(fileSchema, oldLists, records), writeFromBytes(recordSchema, fileSchema, oldLists, records));
  }

  private static void assertSameFiles(Path expected, Path actual) throws IOException {
    FileMetaData want = footer(expected);
    FileMetaData got = footer(actual);
    assertThat(got.getSchema()).isEqualTo(want.getSchema());
    assertThat(got.getKeyValueMetaData()).isEqualTo(want.getKeyValueMetaData());
    List<GenericRecord> wantRecords = ArchiveFiles.readParquet(expected);
    assertThat(wantRecords).isNotEmpty();
    assertThat(ArchiveFiles.readParquet(actual)).containsExactlyElementsOf(wantRecords);
  }

  private static FileMetaData footer(Path file) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(
        HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
      return reader.getFooter().getFileMetaData();
    }
  }

  private static GenericRecord record(ArchiveSchema schema, String json, long offset) {
    try {
      return ArchiveRecords.of(schema, Json.DOUBLES.readTree(json), new ArchivedEvent(3, offset, 1_000 * offset, 1_000 * offset, null, null, null), null);
    } catch (Exception e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  /** The reference: Beam's ParquetIO sink, which writes decoded records with parquet-avro. */
  private Path writeWithParquetAvro(Schema schema, boolean oldLists, List<GenericRecord> records) throws IOException {
    Path file = dir.resolve("expected-" + System.nanoTime() + ".parquet");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ParquetIO.Sink sink = ParquetIO.sink(schema).withCompressionCodec(CompressionCodecName.SNAPPY)
          .withConfiguration(Map.of("parquet.avro.write-old-list-structure", Boolean.toString(oldLists)));
      sink.open(channel);
      for (GenericRecord r : records) {
        sink.write(r);
      }
      sink.flush();
    }
    return file;
  }

  private Path writeFromBytes(Schema recordSchema, Schema fileSchema, boolean oldLists, List<GenericRecord> records)
      throws IOException {
    Path file = dir.resolve("actual-" + System.nanoTime() + ".parquet");
    GenericDatumWriter<GenericRecord> encoder = new GenericDatumWriter<>(recordSchema);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ParquetWriter<byte[]> writer = ParquetFromAvroBinary.open(channel, recordSchema, fileSchema, oldLists)) {
      for (GenericRecord r : records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder out = EncoderFactory.get().directBinaryEncoder(bytes, null);
        encoder.write(r, out);
        out.flush();
        writer.write(bytes.toByteArray());
      }
    }
    return file;
  }
}
