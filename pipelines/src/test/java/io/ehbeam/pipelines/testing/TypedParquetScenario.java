package io.ehbeam.pipelines.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.transforms.testing.ArchiveFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.PipelineResult;

/**
 * {@code archive --format=parquet} with no {@code --schema}, on a hub of events of no known shape:
 * the Parquet files have typed columns inferred from the events (numbers, booleans, nested
 * records, lists), read back with Parquet's own reader and compared with the events sent; the
 * schema is kept next to the files; what is not JSON is a dead letter.
 */
public final class TypedParquetScenario {
  private TypedParquetScenario() {}

  public static void verify(String name, String... runnerArgs) throws Exception {
    HubFixture hub = HubFixture.plain();
    String topic = hub.newTopic(name + "-typed-in", 2);
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      // reading: integral in some events, decimal in others (a double column); site.floor only in some.
      String reading = i % 4 == 0 ? Integer.toString(20 + i % 7) : (20 + i % 7) + ".5";
      String site = i % 2 == 0 ? "{\"name\":\"north\",\"floor\":" + i % 3 + "}" : "{\"name\":\"south\"}";
      records.add(new SimpleEntry<>("m" + i % 5, ("{\"meter\":\"m" + i % 5 + "\",\"seq\":" + i + ",\"reading\":" + reading
          + ",\"ok\":" + (i % 3 != 0) + ",\"site\":" + site + ",\"tags\":[\"t" + i % 2 + "\"]}").getBytes(UTF_8)));
    }
    records.add(new SimpleEntry<>("m0", "not json".getBytes(UTF_8)));
    hub.write(topic, records);

    Path out = Files.createTempDirectory("ehbeam-typed-");
    List<String> args = new ArrayList<>(List.of("--bootstrapServers=" + hub.bootstrapServers(), "--inputTopic=" + topic,
        "--consumerGroup=" + topic + "-cg", "--stopAtEnd=true", "--outputDirectory=" + out, "--format=parquet"));
    args.addAll(Arrays.asList(runnerArgs));
    Jobs.Outcome outcome = JobLauncher.IN_THIS_JVM.run("archive", args);
    assertThat(outcome.state()).isEqualTo(PipelineResult.State.DONE);
    assertThat(outcome.counter("archived")).isEqualTo(200);
    assertThat(outcome.counter("deadLettered")).isEqualTo(1);

    Schema kept = new Schema.Parser().parse(out.resolve("_schema.avsc").toFile());
    assertThat(kept.getName()).isEqualTo("InferredEvent");
    Map<Long, GenericRecord> rows = new HashMap<>();
    for (Path file : ArchiveFiles.files(out, ".parquet")) {
      for (GenericRecord r : ArchiveFiles.readParquet(file)) {
        assertThat(rows.put((Long) r.get("seq"), r)).as("archived once").isNull();
      }
    }
    assertThat(rows).hasSize(200);
    for (long i = 0; i < 200; i++) {
      GenericRecord r = rows.get(i);
      double reading = i % 4 == 0 ? 20 + i % 7 : 20 + i % 7 + 0.5;
      assertThat(r.get("reading")).as("reading of %d: a double column", i).isEqualTo(reading);
      assertThat(r.get("ok")).isEqualTo(i % 3 != 0);
      assertThat(r.get("meter").toString()).isEqualTo("m" + i % 5);
      GenericRecord siteRow = (GenericRecord) r.get("site");
      assertThat(siteRow.get("name").toString()).isEqualTo(i % 2 == 0 ? "north" : "south");
      assertThat(siteRow.get("floor")).isEqualTo(i % 2 == 0 ? (Object) (i % 3) : null);
      assertThat(r.get("tags").toString()).contains("t" + i % 2);
      assertThat(r.get("partition")).isNotNull();
    }
  }
}
