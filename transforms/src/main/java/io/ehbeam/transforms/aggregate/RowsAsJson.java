package io.ehbeam.transforms.aggregate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.RowJson;
import org.apache.beam.sdk.util.RowJsonUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Keyed result rows as JSON objects, fields in schema order, with Beam's own row serializer: what
 * the aggregate writes to a hub and to JSON lines files.
 */
public final class RowsAsJson extends PTransform<PCollection<KV<String, Row>>, PCollection<KV<String, String>>> {
  public static RowsAsJson of() {
    return new RowsAsJson();
  }

  private RowsAsJson() {}

  @Override
  public PCollection<KV<String, String>> expand(PCollection<KV<String, Row>> rows) {
    Schema schema = ((SchemaCoder<Row>) ((KvCoder<String, Row>) rows.getCoder()).getValueCoder()).getSchema();
    return rows.apply(ParDo.of(new Write(schema))).setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
  }

  private static final class Write extends DoFn<KV<String, Row>, KV<String, String>> {
    private final Schema schema;
    private transient ObjectMapper mapper;

    Write(Schema schema) {
      this.schema = schema;
    }

    @Setup
    public void setup() {
      mapper = RowJsonUtils.newObjectMapperWith(RowJson.RowJsonSerializer.forSchema(schema));
    }

    @ProcessElement
    public void process(@Element KV<String, Row> row, OutputReceiver<KV<String, String>> out) throws JsonProcessingException {
      out.output(KV.of(row.getKey(), mapper.writeValueAsString(row.getValue())));
    }
  }
}
