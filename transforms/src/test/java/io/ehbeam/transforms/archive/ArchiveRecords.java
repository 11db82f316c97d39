package io.ehbeam.transforms.archive;

import com.fasterxml.jackson.databind.JsonNode;
import io.ehbeam.transforms.json.EventDocument.InvalidEventException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/** An event's archived record as Avro's own reader decodes what {@link ArchiveSchema#write} wrote. */
final class ArchiveRecords {
  private ArchiveRecords() {}

  static GenericRecord of(ArchiveSchema schema, JsonNode event, ArchivedEvent meta, String body) throws InvalidEventException {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      BinaryEncoder out = EncoderFactory.get().directBinaryEncoder(bytes, null);
      schema.write(event, meta, body, out);
      out.flush();
      return new GenericDatumReader<GenericRecord>(schema.avro())
          .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
