package io.ehbeam.transforms.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.Type;

/**
 * Writes records held in Avro's binary encoding straight into a Parquet file, as parquet-avro's
 * {@link AvroWriteSupport} writes the same records decoded (the same Parquet schema, columns and
 * footer, so Avro readers read them back alike), without a {@code GenericRecord} in between:
 * decoding every archived event into one was a third of the Flink archive's write step (JFR).
 *
 * <p>The file's schema may leave out top-level fields of the records' schema (the Delta table's
 * partition columns); those are skipped. Logical types are written as their underlying types, as
 * {@code AvroWriteSupport} writes them without conversions.
 */
final class ParquetFromAvroBinary {
  private ParquetFromAvroBinary() {}

  /**
   * A Snappy-compressed Parquet writer onto {@code channel} with Parquet's default sizes (as Beam's
   * {@code ParquetIO.sink}), taking records encoded in {@code recordSchema} and writing them in
   * {@code fileSchema}. Closing the writer finishes the file.
   *
   * @param oldListStructure arrays as parquet-avro's two-level lists (its default) or as three-level
   *     lists ({@code parquet.avro.write-old-list-structure=false}, which allows null elements)
   */
  static ParquetWriter<byte[]> open(WritableByteChannel channel, Schema recordSchema, Schema fileSchema,
      boolean oldListStructure) throws IOException {
    Configuration conf = new Configuration();
    conf.setBoolean(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, oldListStructure);
    return new Builder(new ChannelOutputFile(Channels.newOutputStream(channel)),
        new AvroBinaryWriteSupport(recordSchema, fileSchema))
        .withConf(conf)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .build();
  }

  private static final class Builder extends ParquetWriter.Builder<byte[], Builder> {
    private final WriteSupport<byte[]> writeSupport;

    Builder(OutputFile file, WriteSupport<byte[]> writeSupport) {
      super(file);
      this.writeSupport = writeSupport;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<byte[]> getWriteSupport(Configuration conf) {
      return writeSupport;
    }
  }

  /** Parquet's write support over Avro binary records: a plan per schema, built once per file. */
  static final class AvroBinaryWriteSupport extends WriteSupport<byte[]> {
    private final Schema recordSchema;
    private final Schema fileSchema;
    private RecordConsumer consumer;
    private Fields root;
    private BinaryDecoder decoder;

    AvroBinaryWriteSupport(Schema recordSchema, Schema fileSchema) {
      this.recordSchema = recordSchema;
      this.fileSchema = fileSchema;
    }

    @Override
    public String getName() {
      return "avro"; // the writer.model.name AvroWriteSupport records
    }

    @Override
    public WriteContext init(Configuration conf) {
      // AvroWriteSupport's own schema and footer metadata, so that readers see what it writes
      WriteContext avro = new AvroWriteSupport<>(new AvroSchemaConverter(conf).convert(fileSchema), fileSchema,
          GenericData.get()).init(conf);
      boolean oldLists = conf.getBoolean(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, true);
      root = new Fields(recordSchema, fileSchema, avro.getSchema(), oldLists);
      return avro;
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.consumer = recordConsumer;
    }

    @Override
    public void write(byte[] record) {
      decoder = DecoderFactory.get().binaryDecoder(record, decoder);
      try {
        consumer.startMessage();
        root.write(decoder, consumer);
        consumer.endMessage();
      } catch (IOException e) {
        throw new IllegalArgumentException("not a record of " + recordSchema.getFullName() + " in Avro binary: " + e.getMessage(), e);
      }
    }
  }

  /** Reads one value of an Avro schema from the decoder and adds it to a started Parquet field. */
  private interface Value {
    void write(BinaryDecoder in, RecordConsumer out) throws IOException;
  }

  /**
   * A record's fields, in the order of the records' schema: each one read, then written to its
   * Parquet field (by name in the file's schema) or skipped when the file leaves it out. A null
   * (a union's null branch) writes nothing, as in AvroWriteSupport.
   */
  private static final class Fields implements Value {
    private final List<Field> fields = new ArrayList<>();

    Fields(Schema record, Schema fileRecord, GroupType parquet, boolean oldLists) {
      List<Schema.Field> inFile = new ArrayList<>();
      for (Schema.Field f : fileRecord.getFields()) {
        if (f.schema().getType() != Schema.Type.NULL) {
          inFile.add(f); // Parquet has no column for a field that is always null
        }
      }
      for (Schema.Field f : record.getFields()) {
        Schema.Field target = fileRecord.getField(f.name());
        int index = target == null ? -1 : inFile.indexOf(target);
        if (index < 0) {
          fields.add(new Field(f.name(), -1, f.schema(), null, false));
        } else {
          Type type = parquet.getType(index);
          fields.add(new Field(type.getName(), index, f.schema(), resolver(f.schema(), type, oldLists),
              type.isRepetition(Type.Repetition.REQUIRED)));
        }
      }
    }

    @Override
    public void write(BinaryDecoder in, RecordConsumer out) throws IOException {
      for (Field f : fields) {
        if (f.index < 0) {
          GenericDatumReader.skip(f.schema, in);
          continue;
        }
        writeField(f.name, f.index, f.resolver.resolve(in), f.required, in, out);
      }
    }

    private static final class Field {
      final String name;
      final int index;
      final Schema schema;
      final Resolver resolver;
      final boolean required;

      Field(String name, int index, Schema schema, Resolver resolver, boolean required) {
        this.name = name;
        this.index = index;
        this.schema = schema;
        this.resolver = resolver;
        this.required = required;
      }
    }
  }

  /** A value into its Parquet field; a null (a union's null branch) writes nothing, where Parquet allows it. */
  private static void writeField(String name, int index, Value value, boolean required, BinaryDecoder in, RecordConsumer out)
      throws IOException {
    if (value != null) {
      out.startField(name, index);
      value.write(in, out);
      out.endField(name, index);
    } else if (required) {
      throw new IllegalArgumentException("null for the required Parquet field '" + name + "'");
    }
  }

  /** Which value comes next: a union reads its branch here (null for its null branch). */
  private interface Resolver {
    Value resolve(BinaryDecoder in) throws IOException;
  }

  private static Resolver resolver(Schema schema, Type parquet, boolean oldLists) {
    if (schema.getType() != Schema.Type.UNION) {
      Value value = value(schema, parquet, oldLists);
      return in -> value;
    }
    List<Schema> branches = schema.getTypes();
    Value[] values = new Value[branches.size()];
    Schema nonNull = AvroSchemaConverter.getNonNull(schema);
    if (nonNull != schema) {
      // [null, T] or [T, null]: an optional T
      for (int i = 0; i < values.length; i++) {
        values[i] = branches.get(i).getType() == Schema.Type.NULL ? null : value(branches.get(i), parquet, oldLists);
      }
    } else {
      // Several types: a group with a field per non-null member ("member0", ...), one of them set
      GroupType group = parquet.asGroupType();
      int member = 0;
      for (int i = 0; i < values.length; i++) {
        if (branches.get(i).getType() != Schema.Type.NULL) {
          values[i] = new Member("member" + member, member, value(branches.get(i), group.getType(member), oldLists));
          member++;
        }
      }
    }
    return in -> values[in.readIndex()];
  }

  private static final class Member implements Value {
    private final String name;
    private final int index;
    private final Value value;

    Member(String name, int index, Value value) {
      this.name = name;
      this.index = index;
      this.value = value;
    }

    @Override
    public void write(BinaryDecoder in, RecordConsumer out) throws IOException {
      out.startGroup();
      out.startField(name, index);
      value.write(in, out);
      out.endField(name, index);
      out.endGroup();
    }
  }

  private static Value value(Schema schema, Type parquet, boolean oldLists) {
    switch (schema.getType()) {
      case BOOLEAN:
        return (in, out) -> out.addBoolean(in.readBoolean());
      case INT:
        return (in, out) -> out.addInteger(in.readInt());
      case LONG:
        return (in, out) -> out.addLong(in.readLong());
      case FLOAT:
        return (in, out) -> out.addFloat(in.readFloat());
      case DOUBLE:
        return (in, out) -> out.addDouble(in.readDouble());
      case STRING:
        return new StringValue();
      case BYTES:
        return new BytesValue();
      case FIXED: {
        byte[] fixed = new byte[schema.getFixedSize()];
        return (in, out) -> {
          in.readFixed(fixed);
          out.addBinary(Binary.fromReusedByteArray(fixed));
        };
      }
      case ENUM: {
        Binary[] symbols = schema.getEnumSymbols().stream().map(Binary::fromString).toArray(Binary[]::new);
        return (in, out) -> out.addBinary(symbols[in.readEnum()]);
      }
      case RECORD: {
        Fields fields = new Fields(schema, schema, parquet.asGroupType(), oldLists);
        return (in, out) -> {
          out.startGroup();
          fields.write(in, out);
          out.endGroup();
        };
      }
      case MAP:
        return new MapValue(schema, parquet.asGroupType(), oldLists);
      case ARRAY:
        return new ArrayValue(schema, parquet.asGroupType(), oldLists);
      case UNION: {
        // A union inside a union does not occur in Avro; here a union is an array's or a map's value.
        Resolver resolver = resolver(schema, parquet, oldLists);
        return (in, out) -> {
          Value v = resolver.resolve(in);
          if (v == null) {
            throw new IllegalArgumentException("null where Parquet needs a value (" + parquet.getName() + ")");
          }
          v.write(in, out);
        };
      }
      default:
        throw new IllegalArgumentException("no Parquet column for Avro type " + schema.getType());
    }
  }

  private static final class StringValue implements Value {
    private Utf8 utf8 = new Utf8();

    @Override
    public void write(BinaryDecoder in, RecordConsumer out) throws IOException {
      utf8 = in.readString(utf8);
      // Parquet copies what it keeps of a reused array (dictionary, statistics)
      out.addBinary(Binary.fromReusedByteArray(utf8.getBytes(), 0, utf8.getByteLength()));
    }
  }

  private static final class BytesValue implements Value {
    private ByteBuffer buffer;

    @Override
    public void write(BinaryDecoder in, RecordConsumer out) throws IOException {
      buffer = in.readBytes(buffer);
      out.addBinary(Binary.fromReusedByteBuffer(buffer));
    }
  }

  /** A map as parquet-avro writes it: a group of repeated key_value groups, none when it is empty. */
  private static final class MapValue implements Value {
    private final StringValue key = new StringValue();
    private final Resolver value;
    private final boolean valueRequired;

    MapValue(Schema map, GroupType parquet, boolean oldLists) {
      GroupType keyValue = parquet.getType(0).asGroupType();
      Type valueType = keyValue.getType(1);
      this.value = resolver(map.getValueType(), valueType, oldLists);
      this.valueRequired = !valueType.isRepetition(Type.Repetition.OPTIONAL);
    }

    @Override
    public void write(BinaryDecoder in, RecordConsumer out) throws IOException {
      out.startGroup();
      long n = in.readMapStart();
      if (n > 0) {
        out.startField("key_value", 0);
        for (; n > 0; n = in.mapNext()) {
          for (long i = 0; i < n; i++) {
            out.startGroup();
            out.startField("key", 0);
            key.write(in, out);
            out.endField("key", 0);
            writeField("value", 1, value.resolve(in), valueRequired, in, out);
            out.endGroup();
          }
        }
        out.endField("key_value", 0);
      }
      out.endGroup();
    }
  }

  /**
   * An array as parquet-avro writes it: two-level ({@code repeated <element> array}, no null
   * elements) or three-level ({@code repeated group list { element }}).
   */
  private static final class ArrayValue implements Value {
    private final boolean oldLists;
    private final Resolver element;
    private final boolean elementRequired;

    ArrayValue(Schema array, GroupType parquet, boolean oldLists) {
      this.oldLists = oldLists;
      Type elementType = oldLists ? parquet.getType(0) : parquet.getType(0).asGroupType().getType(0);
      this.element = resolver(array.getElementType(), elementType, oldLists);
      this.elementRequired = oldLists || !elementType.isRepetition(Type.Repetition.OPTIONAL);
    }

    @Override
    public void write(BinaryDecoder in, RecordConsumer out) throws IOException {
      out.startGroup();
      long n = in.readArrayStart();
      if (n > 0) {
        String repeated = oldLists ? "array" : "list";
        out.startField(repeated, 0);
        long at = 0;
        for (; n > 0; n = in.arrayNext()) {
          for (long i = 0; i < n; i++, at++) {
            Value v = element.resolve(in);
            if (oldLists) {
              if (v == null) {
                throw new IllegalArgumentException("Array contains a null element at " + at
                    + ". Set parquet.avro.write-old-list-structure=false to turn on support for arrays with null elements.");
              }
              v.write(in, out);
              continue;
            }
            out.startGroup();
            writeField("element", 0, v, elementRequired, in, out);
            out.endGroup();
          }
        }
        out.endField(repeated, 0);
      }
      out.endGroup();
    }
  }

  /** Parquet's output file over a Beam channel: positions counted here, as the channel cannot tell. */
  private static final class ChannelOutputFile implements OutputFile {
    private final OutputStream out;

    ChannelOutputFile(OutputStream out) {
      this.out = out;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      return createOrOverwrite(blockSizeHint);
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      return new PositionOutputStream() {
        private long position;

        @Override
        public long getPos() {
          return position;
        }

        @Override
        public void write(int b) throws IOException {
          out.write(b);
          position++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
          position += len;
        }

        @Override
        public void flush() throws IOException {
          out.flush();
        }

        @Override
        public void close() throws IOException {
          out.close();
        }
      };
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }
}
