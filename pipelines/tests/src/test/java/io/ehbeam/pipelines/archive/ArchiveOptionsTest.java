package io.ehbeam.pipelines.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ehbeam.pipelines.common.JobArguments;
import io.ehbeam.transforms.archive.ArchiveSchema;
import io.ehbeam.transforms.archive.WriteArchiveFiles.Format;
import io.ehbeam.transforms.connect.Hubs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The archive's option checks, each refusal in one line, and the schema a Delta table keeps. */
class ArchiveOptionsTest {
  private static ArchivePipeline.Options parse(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--bootstrapServers=localhost:9092";
    all[1] = "--inputTopic=temps";
    System.arraycopy(args, 0, all, 2, args.length);
    return JobArguments.parse(all, ArchivePipeline.Options.class, false);
  }

  private static void endpoints(ArchivePipeline.Options options) {
    ArchivePipeline.JOB.endpoints(options, Hubs.resolve(options, ArchivePipeline.JOB.defaultConsumerGroup()));
  }

  @Test
  void refusesWhatCannotBeWritten() {
    assertThatThrownBy(() -> endpoints(parse("--outputDirectory=/tmp/x", "--format=delta,json")))
        .hasMessageStartingWith("--format=delta writes a table of its own").hasMessageContaining("got --format=json,delta");
    assertThatThrownBy(() -> endpoints(parse("--outputDirectory=/tmp/x", "--format=delta", "--layout=capture")))
        .hasMessageContaining("leave out --schema=capture and --layout=capture");
    assertThatThrownBy(() -> endpoints(parse("--outputDirectory=/tmp/x", "--schema=capture", "--format=parquet")))
        .hasMessageStartingWith("--schema=capture writes Avro");
    assertThatThrownBy(() -> endpoints(parse("--outputDirectory=/tmp/x", "--schema=capture", "--maxFileBytes=1048576")))
        .hasMessageContaining("10 to 500 MB");
    assertThatThrownBy(() -> endpoints(parse("--outputDirectory=/tmp/x", "--windowSeconds=30")))
        .hasMessage("--windowSeconds must be between 60 and 900; got 30");
  }

  @Test
  void aDeltaTableKeepsTheSchemaItWasMadeWithAcrossRestarts() throws Exception {
    Path table = Files.createTempDirectory("ehbeam-delta-kept-");
    Schema inferred = ArchiveSchema.forSample(List.of("{\"machine\":{\"id\":\"m1\"},\"load\":0.5}".getBytes())).avro();
    Files.writeString(table.resolve(ArchivePipeline.SCHEMA_FILE), inferred.toString(true));
    // No hub to sample: the kept schema is used as it is.
    ArchiveSchema schema = ArchivePipeline.schema(parse("--outputDirectory=" + table, "--format=delta"), EnumSet.of(Format.DELTA), null);
    assertThat(schema.avro()).isEqualTo(inferred);
    assertThat(schema.isInferred()).isTrue();

    Files.writeString(table.resolve(ArchivePipeline.SCHEMA_FILE), ArchiveSchema.of(ArchiveSchema.Kind.DEVICE).avro().toString());
    assertThat(ArchivePipeline.schema(parse("--outputDirectory=" + table, "--format=delta"), EnumSet.of(Format.DELTA), null).name())
        .isEqualTo("device");
  }
}
