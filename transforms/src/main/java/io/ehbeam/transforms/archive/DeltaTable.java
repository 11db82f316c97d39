package io.ehbeam.transforms.archive;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive's Delta Lake table ({@code --format=delta}), its log written by Delta Kernel. The
 * table's columns are the archive schema's ({@link ArchiveSchema}), partitioned by the event
 * time's {@link #PARTITION_COLUMNS} as the hive layout is; the data files hold the other columns
 * (Delta keeps partition values in its log) and become visible only when a commit adds them.
 *
 * <p>Each commit also records, in the table's domain metadata, up to which offset of each window
 * and hub partition the table now holds the writer's events ({@link #committedOffsets}): in the
 * same atomic version as the files, so a restart knows exactly what the table holds, and {@link
 * #append} never adds the same events twice.
 */
public final class DeltaTable implements Serializable {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaTable.class);
  /** The event time's, as folders of the hive layout: the table's partition columns. */
  public static final List<String> PARTITION_COLUMNS =
      List.of(ArchiveSchema.YEAR, ArchiveSchema.MONTH, ArchiveSchema.DAY, ArchiveSchema.HOUR);
  /** Who wrote a version, in its commit info. */
  static final String ENGINE_INFO = "ehbeam-archive";

  private final String root;
  /** For azfs:// tables: {@code --azureConnectionString} as the options hold it (a reference, never the key), or null. */
  private final String azureConnectionString;
  private transient Engine engine;
  private transient Table table;

  private DeltaTable(String root, String azureConnectionString) {
    this.root = root;
    this.azureConnectionString = azureConnectionString;
  }

  /**
   * The table at {@code outputDirectory}: a local folder, or {@code azfs://<account>/<container>/<path>}
   * reached with {@code azureConnectionString} (as {@link BlobStorageClients} reads it; null: the environment's).
   */
  public static DeltaTable at(String outputDirectory, String azureConnectionString) {
    String trimmed = outputDirectory.endsWith("/") ? outputDirectory.substring(0, outputDirectory.length() - 1) : outputDirectory;
    return new DeltaTable(trimmed, azureConnectionString);
  }

  private Engine engine() {
    if (engine == null) {
      engine = root.startsWith(BlobFileIO.SCHEME) ? DefaultEngine.create(new BlobFileIO(azureConnectionString)) : DefaultEngine.create(new Configuration());
    }
    return engine;
  }

  private Table table() {
    if (table == null) {
      table = Table.forPath(engine(), root.contains("://") ? root : Paths.get(root).toAbsolutePath().toString());
    }
    return table;
  }

  /**
   * Creates the table with the columns of {@code schema}, or checks that the table there has them:
   * a table written with another schema is refused, in one line.
   */
  public void createOrCheck(ArchiveSchema schema) {
    StructType wanted = columns(schema.avro());
    Engine e = engine();
    try {
      Snapshot existing = table().getLatestSnapshot(e);
      if (!existing.getSchema().equals(wanted) || !existing.getPartitionColumnNames().equals(PARTITION_COLUMNS)) {
        throw new IllegalArgumentException("the Delta table at " + root + " has the columns " + describe(existing.getSchema())
            + " partitioned by " + existing.getPartitionColumnNames() + "; the archive's schema (" + schema.name() + ") has "
            + describe(wanted) + " partitioned by " + PARTITION_COLUMNS
            + ": archive into another --outputDirectory, or pass the --schema the table was written with");
      }
    } catch (TableNotFoundException absent) {
      try {
        table().createTransactionBuilder(e, ENGINE_INFO, Operation.CREATE_TABLE)
            .withSchema(e, wanted)
            .withDomainMetadataSupported()
            .withPartitionColumns(e, PARTITION_COLUMNS)
            .build(e)
            .commit(e, CloseableIterable.emptyIterable());
        LOG.info("Created the Delta table {} with the columns {}", root, describe(wanted));
      } catch (io.delta.kernel.exceptions.TableAlreadyExistsException | io.delta.kernel.exceptions.ConcurrentWriteException raced) {
        createOrCheck(schema); // another archive created it meanwhile: check its columns
      }
    }
  }

  /** What a commit did with the files it was given. */
  public record Appended(long version, int added, int alreadyInTable, int overlapping) {}

  /** The key of a window (start, epoch milliseconds) and hub partition in {@link #committedOffsets}. */
  public static String windowPartition(long windowStartMillis, int partition) {
    return windowStartMillis + "/" + partition;
  }

  /**
   * Per window and hub partition ({@link #windowPartition}), the offset up to which the table holds
   * every event {@code writer} archived there: kept with the data, in the table's domain metadata
   * {@code ehbeam-archive/<writer>}, so it is exactly what the table's versions hold. Empty for a new table.
   */
  public Map<String, Long> committedOffsets(String writer) {
    try {
      return parseOffsets(table().getLatestSnapshot(engine()).getDomainMetadata(domain(writer)));
    } catch (TableNotFoundException absent) {
      return Map.of();
    }
  }

  /**
   * Adds {@code files} (of one window) in one commit, with the offsets they hold ({@link
   * #committedOffsets}), so that the files of a window written again are not added twice: a file
   * whose events the table holds already is left out (and deleted); one holding some of them
   * (a window written again in panes cut elsewhere) is added and counted as {@code overlapping}.
   * Windows more than {@code horizonMillis} older than the newest leave the offsets kept.
   */
  public Appended append(String writer, List<DeltaFile> files, long horizonMillis) {
    Engine e = engine();
    for (int attempt = 1; ; attempt++) {
      Transaction txn = table().createTransactionBuilder(e, ENGINE_INFO, Operation.STREAMING_UPDATE)
          .withDomainMetadataSupported()
          .build(e);
      Map<String, Long> committed = new java.util.TreeMap<>(
          parseOffsets(table().getSnapshotAsOfVersion(e, txn.getReadTableVersion()).getDomainMetadata(domain(writer))));
      List<DeltaFile> adding = new ArrayList<>();
      int overlapping = 0;
      for (DeltaFile f : files) {
        Long upTo = committed.get(windowPartition(f.windowStartMillis, f.partition));
        if (upTo == null || f.minOffset > upTo) {
          adding.add(f);
        } else if (f.maxOffset > upTo) {
          adding.add(f);
          overlapping++;
        }
      }
      List<DeltaFile> inTable = new ArrayList<>(files);
      inTable.removeAll(adding);
      if (adding.isEmpty()) {
        delete(inTable);
        return new Appended(-1, 0, files.size(), 0);
      }
      for (DeltaFile f : adding) {
        committed.merge(windowPartition(f.windowStartMillis, f.partition), f.maxOffset, Math::max);
      }
      long newest = committed.keySet().stream().mapToLong(k -> Long.parseLong(k.substring(0, k.indexOf('/')))).max().orElseThrow();
      committed.keySet().removeIf(k -> Long.parseLong(k.substring(0, k.indexOf('/'))) < newest - horizonMillis);
      txn.addDomainMetadata(domain(writer), formatOffsets(committed));
      TransactionCommitResult result;
      try {
        result = txn.commit(e, CloseableIterable.inMemoryIterable(iterator(addActions(e, txn, adding).iterator())));
      } catch (io.delta.kernel.exceptions.ConcurrentWriteException raced) {
        // Another window's commit changed the offsets first: read them again and retry.
        if (attempt >= MAX_ATTEMPTS) {
          throw new IllegalStateException("Delta table " + root + ": " + MAX_ATTEMPTS + " commits lost to concurrent writers", raced);
        }
        continue;
      }
      delete(inTable);
      runHooks(e, result);
      return new Appended(result.getVersion(), adding.size(), inTable.size(), overlapping);
    }
  }

  private static final int MAX_ATTEMPTS = 50;

  private List<Row> addActions(Engine e, Transaction txn, List<DeltaFile> files) {
    Row state = txn.getTransactionState(e);
    String tableRoot = table().getPath(e);
    Map<List<Integer>, List<DataFileStatus>> byPartition = new LinkedHashMap<>();
    for (DeltaFile f : files) {
      byPartition.computeIfAbsent(partitionValues(f.path), k -> new ArrayList<>())
          .add(new DataFileStatus(tableRoot + "/" + f.path, f.bytes, f.modifiedAtMillis,
              Optional.of(new DataFileStatistics(f.records, Map.of(), Map.of(), Map.of()))));
    }
    List<Row> actions = new ArrayList<>();
    byPartition.forEach((values, statuses) -> {
      Map<String, Literal> partition = new LinkedHashMap<>();
      for (int i = 0; i < PARTITION_COLUMNS.size(); i++) {
        partition.put(PARTITION_COLUMNS.get(i), Literal.ofInt(values.get(i)));
      }
      DataWriteContext context = Transaction.getWriteContext(e, state, partition);
      try (CloseableIterator<Row> rows = Transaction.generateAppendActions(e, state, iterator(statuses.iterator()), context)) {
        rows.forEachRemaining(actions::add);
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    });
    return actions;
  }

  private void runHooks(Engine e, TransactionCommitResult result) {
    for (PostCommitHook hook : result.getPostCommitHooks()) {
      try {
        hook.threadSafeInvoke(e); // a checkpoint every few versions: readers then replay less of the log
      } catch (IOException | RuntimeException ex) {
        LOG.warn("Delta table {}: version {} committed; its {} hook failed ({}), the next commit tries again", root,
            result.getVersion(), hook.getType(), ex.toString());
      }
    }
  }

  private static String domain(String writer) {
    return "ehbeam-archive/" + writer;
  }

  private static Map<String, Long> parseOffsets(Optional<String> config) {
    if (config.isEmpty()) {
      return Map.of();
    }
    try {
      return io.ehbeam.transforms.json.Json.MAPPER.readValue(config.get(), new com.fasterxml.jackson.core.type.TypeReference<java.util.TreeMap<String, Long>>() {});
    } catch (IOException e) {
      throw new IllegalStateException("unreadable archive offsets in the Delta table's domain metadata: " + config.get(), e);
    }
  }

  private static String formatOffsets(Map<String, Long> offsets) {
    try {
      return io.ehbeam.transforms.json.Json.MAPPER.writeValueAsString(offsets);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes data files that no version holds. */
  void delete(List<DeltaFile> files) {
    List<org.apache.beam.sdk.io.fs.ResourceId> paths = new ArrayList<>();
    files.forEach(f -> paths.add(org.apache.beam.sdk.io.FileSystems.matchNewResource(root + "/" + f.path, false)));
    try {
      org.apache.beam.sdk.io.FileSystems.delete(paths, org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException e) {
      LOG.warn("Delta table {}: files in no version left behind ({})", root, e.toString());
    }
  }

  /** year, month, day, hour from a data file's path ({@code year=2023/month=01/day=05/hour=13/part-...}). */
  static List<Integer> partitionValues(String path) {
    String[] folders = path.split("/");
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < PARTITION_COLUMNS.size(); i++) {
      String expected = PARTITION_COLUMNS.get(i) + "=";
      if (folders.length <= i + 1 || !folders[i].startsWith(expected)) {
        throw new IllegalArgumentException("not in the table's partition folders: " + path);
      }
      values.add(Integer.parseInt(folders[i].substring(expected.length())));
    }
    return values;
  }

  /** The table's columns: the archive schema's, in its order (the partition columns among them). */
  static StructType columns(Schema record) {
    StructType struct = new StructType();
    for (Schema.Field f : record.getFields()) {
      struct = struct.add(new StructField(f.name(), type(f.schema()), isNullable(f.schema())));
    }
    return struct;
  }

  /** The schema of the data files: the archive's record without the partition columns. */
  public static Schema dataFileSchema(Schema record) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : record.getFields()) {
      if (!PARTITION_COLUMNS.contains(f.name())) {
        fields.add(new Schema.Field(f, f.schema()));
      }
    }
    return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
  }

  private static boolean isNullable(Schema s) {
    return s.getType() == Schema.Type.UNION && s.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL);
  }

  private static DataType type(Schema s) {
    switch (s.getType()) {
      case UNION:
        List<Schema> types = s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
        if (types.size() != 1) {
          throw new IllegalArgumentException("a Delta column holds one type; the Avro union " + s + " holds several");
        }
        return type(types.get(0));
      case STRING:
      case ENUM:
        return StringType.STRING;
      case INT:
        return IntegerType.INTEGER;
      case LONG:
        return LongType.LONG;
      case DOUBLE:
        return DoubleType.DOUBLE;
      case FLOAT:
        return FloatType.FLOAT;
      case BOOLEAN:
        return BooleanType.BOOLEAN;
      case BYTES:
      case FIXED:
        return BinaryType.BINARY;
      case RECORD:
        return columns(s);
      case ARRAY:
        return new ArrayType(type(s.getElementType()), isNullable(s.getElementType()));
      case MAP:
        return new MapType(StringType.STRING, type(s.getValueType()), isNullable(s.getValueType()));
      default:
        throw new IllegalArgumentException("no Delta column type for Avro's " + s.getType());
    }
  }

  private static String describe(StructType columns) {
    StringBuilder b = new StringBuilder("(");
    for (StructField f : columns.fields()) {
      b.append(b.length() > 1 ? ", " : "").append(f.getName()).append(' ').append(f.getDataType());
    }
    return b.append(')').toString();
  }

  static <T> CloseableIterator<T> iterator(Iterator<T> items) {
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return items.hasNext();
      }

      @Override
      public T next() {
        return items.next();
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public String toString() {
    return root;
  }
}
