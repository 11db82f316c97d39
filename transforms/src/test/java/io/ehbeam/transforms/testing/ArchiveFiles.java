package io.ehbeam.transforms.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/** Archived files read back with readers independent of the code that wrote them. */
public final class ArchiveFiles {
  private ArchiveFiles() {}

  /** Files under {@code dir} whose names end with {@code suffix}, hidden ones left out, sorted. */
  public static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(p -> p.getFileName().toString().endsWith(suffix) && !p.getFileName().toString().startsWith("."))
          .sorted().collect(Collectors.toList());
    }
  }

  /** With Avro's own DataFileReader. */
  public static List<GenericRecord> readAvro(Path file) throws IOException {
    List<GenericRecord> records = new ArrayList<>();
    try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
      reader.forEach(records::add);
    }
    return records;
  }

  /** With parquet-avro. */
  public static List<GenericRecord> readParquet(Path file) throws IOException {
    List<GenericRecord> records = new ArrayList<>();
    try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
        HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration())).build()) {
      for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
        records.add(r);
      }
    }
    return records;
  }

  /** Event Hubs Capture's Avro schema as Microsoft publishes it: the readers' side, not the archive's copy. */
  public static final String CAPTURE_SCHEMA_AS_PUBLISHED = "{\"type\":\"record\",\"name\":\"EventData\","
      + "\"namespace\":\"Microsoft.ServiceBus.Messaging\",\"fields\":["
      + "{\"name\":\"SequenceNumber\",\"type\":\"long\"},{\"name\":\"Offset\",\"type\":\"string\"},"
      + "{\"name\":\"EnqueuedTimeUtc\",\"type\":\"string\"},"
      + "{\"name\":\"SystemProperties\",\"type\":{\"type\":\"map\",\"values\":[\"long\",\"double\",\"string\",\"bytes\"]}},"
      + "{\"name\":\"Properties\",\"type\":{\"type\":\"map\",\"values\":[\"long\",\"double\",\"string\",\"bytes\"]}},"
      + "{\"name\":\"Body\",\"type\":[\"null\",\"bytes\"]}]}";

  /** The bytes of an Avro {@code bytes} value. */
  public static byte[] bytes(Object avroBytes) {
    java.nio.ByteBuffer b = ((java.nio.ByteBuffer) avroBytes).duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  /** An Avro map with its Utf8 keys and strings as Java strings, for comparisons. */
  public static java.util.Map<String, Object> strings(java.util.Map<?, ?> map) {
    java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
    map.forEach((k, v) -> out.put(k.toString(), v instanceof org.apache.avro.util.Utf8 ? v.toString() : v));
    return out;
  }
}
