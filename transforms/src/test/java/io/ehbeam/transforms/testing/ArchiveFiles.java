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

  /**
   * A Delta table as a reader that knows only Delta's protocol sees it: the JSON commits of
   * {@code _delta_log} replayed in version order (adds, removes, transaction identifiers), each
   * live data file read with parquet-avro, its partition values added to its rows.
   */
  public static DeltaSnapshot readDelta(Path table) throws IOException {
    Path log = table.resolve("_delta_log");
    List<Path> commits = files(log, ".json");
    java.util.Map<String, java.util.Map<String, String>> live = new java.util.LinkedHashMap<>();
    java.util.Map<String, Long> transactions = new java.util.HashMap<>();
    java.util.Map<String, String> domains = new java.util.HashMap<>();
    List<String> partitionColumns = List.of();
    int versionsAdding = 0;
    for (int v = 0; v < commits.size(); v++) {
      assertVersion(commits.get(v), v);
      boolean adds = false;
      for (String line : Files.readAllLines(commits.get(v))) {
        com.fasterxml.jackson.databind.JsonNode action = MAPPER.readTree(line);
        if (action.has("add")) {
          adds = true;
          java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
          action.get("add").get("partitionValues").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
          live.put(java.net.URLDecoder.decode(action.get("add").get("path").asText(), java.nio.charset.StandardCharsets.UTF_8), values);
        } else if (action.has("remove")) {
          live.remove(java.net.URLDecoder.decode(action.get("remove").get("path").asText(), java.nio.charset.StandardCharsets.UTF_8));
        } else if (action.has("txn")) {
          transactions.put(action.get("txn").get("appId").asText(), action.get("txn").get("version").asLong());
        } else if (action.has("domainMetadata")) {
          com.fasterxml.jackson.databind.JsonNode d = action.get("domainMetadata");
          if (d.path("removed").asBoolean()) {
            domains.remove(d.get("domain").asText());
          } else {
            domains.put(d.get("domain").asText(), d.get("configuration").asText());
          }
        } else if (action.has("metaData")) {
          List<String> columns = new ArrayList<>();
          action.get("metaData").get("partitionColumns").forEach(c -> columns.add(c.asText()));
          partitionColumns = columns;
        }
      }
      versionsAdding += adds ? 1 : 0;
    }
    List<java.util.Map<String, Object>> rows = new ArrayList<>();
    for (java.util.Map.Entry<String, java.util.Map<String, String>> file : live.entrySet()) {
      for (GenericRecord r : readParquet(table.resolve(file.getKey()))) {
        java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
        r.getSchema().getFields().forEach(f -> row.put(f.name(), r.get(f.name()) instanceof org.apache.avro.util.Utf8
            ? r.get(f.name()).toString() : r.get(f.name())));
        file.getValue().forEach((k, v) -> row.put(k, Integer.parseInt(v)));
        rows.add(row);
      }
    }
    return new DeltaSnapshot(commits.size(), versionsAdding, partitionColumns, live.keySet(), transactions, domains, rows);
  }

  private static void assertVersion(Path commit, int version) {
    String expected = String.format("%020d.json", version);
    if (!commit.getFileName().toString().equals(expected)) {
      throw new AssertionError("the log's versions are not consecutive: " + commit.getFileName() + " where " + expected + " was due");
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();

  /**
   * What {@link #readDelta} found: versions, the live files, the newest version per transaction id,
   * the domain metadata (domain to configuration), and the rows.
   */
  public record DeltaSnapshot(int versions, int versionsAddingFiles, List<String> partitionColumns,
      java.util.Set<String> files, java.util.Map<String, Long> transactions, java.util.Map<String, String> domains,
      List<java.util.Map<String, Object>> rows) {}

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
