package io.ehbeam.pipelines.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.transforms.testing.ArchiveFiles;
import static io.ehbeam.transforms.testing.ArchiveFiles.bytes;
import static io.ehbeam.transforms.testing.ArchiveFiles.strings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * {@code archive --schema=capture} on a hub of every kind of record (JSON, binary, empty, null
 * bodies; keys or none; headers), read back by Avro's own {@code DataFileReader} on Capture's
 * schema as Microsoft publishes it, and compared byte for byte with the records the hub holds.
 */
public final class CaptureScenario {
  private static final DateTimeFormatter DOTNET_INVARIANT =
      DateTimeFormatter.ofPattern("M/d/yyyy h:mm:ss a", Locale.US).withZone(ZoneOffset.UTC);

  private CaptureScenario() {}

  /** With {@code runnerArgs} (none: the DirectRunner), in this JVM. */
  public static void verify(String name, String... runnerArgs) throws Exception {
    HubFixture hub = HubFixture.plain();
    String topic = hub.newAppendTimeTopic(name + "-capture-in", 2);
    try (Producer<byte[], byte[]> producer = hub.producer()) {
      for (int i = 0; i < 300; i++) {
        RecordHeaders headers = new RecordHeaders();
        if (i % 3 == 0) {
          headers.add("source", ("sensor-" + i).getBytes(UTF_8));
          headers.add("raw", new byte[] {(byte) i, 0, (byte) 0xff});
        }
        byte[] body = switch (i % 5) {
          case 0 -> ("{\"n\":" + i + "}").getBytes(UTF_8);
          case 1 -> new byte[] {(byte) 0xc3, (byte) 0x28, 0, (byte) i};
          case 2 -> new byte[0];
          case 3 -> null;
          default -> ("plain text " + i).getBytes(UTF_8);
        };
        byte[] key = i % 4 == 0 ? null : ("device-" + i % 7).getBytes(UTF_8);
        producer.send(new ProducerRecord<>(topic, i % 2, null, key, body, headers));
      }
    }
    List<ConsumerRecord<byte[], byte[]>> source = hub.readAll(topic);
    assertThat(source).hasSize(300);

    Path out = Files.createTempDirectory("ehbeam-capture-");
    List<String> args = new ArrayList<>(List.of("--bootstrapServers=" + hub.bootstrapServers(), "--inputTopic=" + topic,
        "--consumerGroup=" + topic + "-cg", "--stopAtEnd=true", "--outputDirectory=" + out, "--schema=capture",
        "--captureNamespace=contoso"));
    args.addAll(Arrays.asList(runnerArgs));
    Jobs.Outcome outcome = JobLauncher.IN_THIS_JVM.run("archive", args);
    assertThat(outcome.state()).isEqualTo(PipelineResult.State.DONE);
    assertThat(outcome.counter("archived")).isEqualTo(300);
    assertThat(outcome.counter("deadLettered")).isZero();

    Schema published = new Schema.Parser().parse(ArchiveFiles.CAPTURE_SCHEMA_AS_PUBLISHED);
    Map<String, GenericRecord> archived = new HashMap<>();
    for (Path file : ArchiveFiles.files(out, ".avro")) {
      String path = out.relativize(file).toString();
      assertThat(path).as("Capture's path").matches("contoso/" + topic + "/[01]/\\d{4}/\\d{2}/\\d{2}/\\d{2}/\\d{2}/\\d{2}\\.avro");
      String partition = path.split("/")[2];
      try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>(published))) {
        assertThat(reader.getSchema()).as("the writer's schema").isEqualTo(published);
        for (GenericRecord r : reader) {
          assertThat(archived.put(partition + "/" + r.get("SequenceNumber"), r)).as("archived once").isNull();
        }
      }
    }
    assertThat(archived).hasSize(300);
    for (ConsumerRecord<byte[], byte[]> r : source) {
      GenericRecord c = archived.get(r.partition() + "/" + r.offset());
      assertThat(c).as("record %d/%d archived", r.partition(), r.offset()).isNotNull();
      assertThat(c.get("Body") == null ? null : bytes(c.get("Body"))).as("body").isEqualTo(r.value());
      assertThat(c.get("Offset").toString()).isEqualTo(Long.toString(r.offset()));
      assertThat(c.get("EnqueuedTimeUtc").toString()).isEqualTo(DOTNET_INVARIANT.format(Instant.ofEpochMilli(r.timestamp())));
      Map<String, Object> system = strings((Map<?, ?>) c.get("SystemProperties"));
      assertThat(system).containsEntry("x-opt-sequence-number", r.offset()).containsEntry("x-opt-enqueued-time", r.timestamp());
      if (r.key() == null) {
        assertThat(system).doesNotContainKey("x-opt-partition-key");
      } else {
        assertThat(system).containsEntry("x-opt-partition-key", new String(r.key(), UTF_8));
      }
      Map<String, Object> properties = strings((Map<?, ?>) c.get("Properties"));
      assertThat(properties).hasSize(r.headers().toArray().length);
      for (Header h : r.headers()) {
        assertThat(bytes(properties.get(h.key()))).as("header " + h.key()).isEqualTo(h.value());
      }
    }
  }
}
