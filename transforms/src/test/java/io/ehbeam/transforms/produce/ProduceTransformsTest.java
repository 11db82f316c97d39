package io.ehbeam.transforms.produce;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.transforms.deadletter.DeadLetter;
import io.ehbeam.transforms.model.Location;
import io.ehbeam.transforms.model.LocationMaster;
import io.ehbeam.transforms.model.TemperatureReading;
import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ProduceTransformsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder folder = new TemporaryFolder();

  static final LocationMaster MASTER = new LocationMaster(List.of(
      new Location("Spring", 30.0799, -95.4172, 35), new Location("London", 51.5072, -0.1276, 11)));

  @Test
  public void readsBothFormsJoinsCitiesAndDeadLettersTheRest() throws Exception {
    File dir = folder.newFolder("in");
    Files.writeString(dir.toPath().resolve("spring.json"),
        "{\"latitude\":30.0,\"longitude\":-95.5,\"utc_offset_seconds\":0,\"hourly\":{\"time\":[\"2023-07-01T00:00\",\"2023-07-01T01:00\"],\"temperature_2m\":[30.1,null]}}");
    Files.writeString(dir.toPath().resolve("flat.jsonl"),
        "{\"latitude\":51.5,\"longitude\":-0.25,\"time\":\"2023-07-01T00:00\",\"temperature_2m\":18.5}\n"
            + "{\"latitude\":0.0,\"longitude\":0.0,\"time\":\"2023-07-01T00:00\",\"temperature_2m\":25.0}\n"
            + "garbage\n");

    PCollectionTuple files = pipeline.apply(new ReadTemperatureFiles(dir + "/*"));
    PCollectionTuple joined = files.get(ReadTemperatureFiles.READINGS).apply(new JoinLocations(MASTER, 25));

    PAssert.that(joined.get(JoinLocations.JOINED).apply("JoinedAsJson", MapElements.into(TypeDescriptors.strings()).via(TemperatureReading::toString)))
        .containsInAnyOrder(
            "{\"latitude\":30.0,\"longitude\":-95.5,\"time\":\"2023-07-01T00:00\",\"temperature_2m\":30.1,\"city\":\"Spring\",\"elevation\":35.0}",
            "{\"latitude\":51.5,\"longitude\":-0.25,\"time\":\"2023-07-01T00:00\",\"temperature_2m\":18.5,\"city\":\"London\",\"elevation\":11.0}");
    PAssert.that(describe("FileProblems", files.get(ReadTemperatureFiles.DEAD_LETTERS)))
        .containsInAnyOrder("spring.json:1 temperature_2m is null (hourly[1])", "flat.jsonl:3 not valid JSON");
    PAssert.that(describe("JoinProblems", joined.get(JoinLocations.DEAD_LETTERS)))
        .containsInAnyOrder("null:-1 no location within 25.0 km of 0.0, 0.0");
    pipeline.run().waitUntilFinish();
  }

  private static PCollection<String> describe(String name, PCollection<DeadLetter> letters) {
    return letters.apply(name, MapElements.into(TypeDescriptors.strings()).via(d ->
        (d.sourceTopic() == null ? "null" : new File(d.sourceTopic()).getName()) + ":" + d.sourceOffset() + " "
            + d.reason().replaceAll("not valid JSON: .*", "not valid JSON")));
  }

  @Test
  public void pacedReadingsComeOutInTimeOrderAsRecordsKeyedByCityAtReadingTime() {
    List<TemperatureReading> readings = new ArrayList<>();
    for (int h = 23; h >= 0; h--) {
      TemperatureReading r = new TemperatureReading(51.5, -0.25, String.format("2023-01-01T%02d:00", h), h, 0);
      readings.add(r.at(MASTER.locations().get(1)));
    }
    PCollection<ProducerRecord<byte[], byte[]>> records =
        pipeline
            .apply(Create.of(readings).withCoder(SerializableCoder.of(TemperatureReading.class)))
            .apply(new PaceReadings(1000, 3600 * 100))
            .apply(new ToTemperatureRecords("temperatures"));
    PAssert.that(records).satisfies(all -> {
      List<Long> timestamps = new ArrayList<>();
      for (ProducerRecord<byte[], byte[]> r : all) {
        assertThat(r.topic()).isEqualTo("temperatures");
        assertThat(new String(r.key(), UTF_8)).isEqualTo("London");
        assertThat(new String(r.value(), UTF_8)).contains("\"city\":\"London\"");
        timestamps.add(r.timestamp());
      }
      // one bundle, emitted in time order
      assertThat(timestamps).hasSize(24).isSorted();
      assertThat(timestamps.get(0)).isEqualTo(1_672_531_200_000L);
      return null;
    });
    pipeline.run().waitUntilFinish();
  }
}
