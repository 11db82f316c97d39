package io.ehbeam.pipelines.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.pipelines.archive.ArchivePipeline;
import io.ehbeam.transforms.connect.Hubs;
import io.ehbeam.transforms.connect.SecretReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.io.azure.options.BlobstoreOptions;
import org.junit.jupiter.api.Test;

class JobArgumentsTest {
  static final String KEY = "ArgumentsProbeKey0123456789ArgumentsProbe01=";
  static final String CONNECTION = "Endpoint=sb://contoso-ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=" + KEY;

  @Test
  void secretValuesBecomeReferencesBeforeBeamSeesThemAndTheOptionsHoldNone() throws Exception {
    Path secrets = Files.createTempFile("ehbeam-secrets", ".properties");
    Files.writeString(secrets, "output=" + CONNECTION.replace("contoso-ns", "other-ns") + "\n");
    String outputReference = "${file:" + secrets + ":output}";
    ArchivePipeline.Options options = JobArguments.parse(new String[] {
        "--inputConnectionString=" + CONNECTION + ";EntityPath=in",
        "--outputConnectionString=" + outputReference,
        "--kafkaProperty=ssl.truststore.password=TrustStorePassword42",
        "--kafkaProperty=ssl.truststore.location=/etc/store.p12",
        "--azureConnectionString=DefaultEndpointsProtocol=https;AccountName=a;AccountKey=AzureKey42",
        "--outputDirectory=/tmp/never-written"}, ArchivePipeline.Options.class, false);

    String printed = options.toString();
    List<Object> given = List.of(options.getInputConnectionString(), options.getOutputConnectionString(), options.getKafkaProperty());
    assertThat(printed).doesNotContain(KEY).doesNotContain("TrustStorePassword42").doesNotContain("AzureKey42");
    assertThat(options.getInputConnectionString()).startsWith("${process:");
    assertThat(options.getOutputConnectionString()).isEqualTo(outputReference);
    assertThat(options.getKafkaProperty()).contains("ssl.truststore.location=/etc/store.p12")
        .anySatisfy(p -> assertThat(p).startsWith("ssl.truststore.password=${process:"));
    assertThat(options.as(BlobstoreOptions.class).getAzureConnectionString()).startsWith("${process:");
    // This JVM still has the values: the job resolves them where its clients are made.
    assertThat(SecretReference.of(options.getInputConnectionString(), "x").resolve()).isEqualTo(CONNECTION + ";EntityPath=in");
    assertThat(Hubs.resolve(options, "cg").input().bootstrapServers()).isEqualTo("contoso-ns.servicebus.windows.net:9093");
    assertThat(Hubs.resolve(options, "cg").input().topic()).isEqualTo("in");
    assertThat(Hubs.resolve(options, "cg").output().bootstrapServers()).isEqualTo("other-ns.servicebus.windows.net:9093");
    assertThat(List.of(options.getInputConnectionString(), options.getOutputConnectionString(), options.getKafkaProperty()))
        .as("resolving changed no option").isEqualTo(given);
    assertThat(options.toString()).doesNotContain(KEY).doesNotContain("TrustStorePassword42");
  }

  @Test
  void aSecretGivenAsAValueIsRefusedWhereTheWorkersRunElsewhere() {
    String literal = "--inputConnectionString=Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=SECRETVALUE";
    for (String[] remote : List.of(
        new String[] {"--runner=FlinkRunner", "--flinkMaster=jm:8081", literal},
        new String[] {"--runner=SparkRunner", "--sparkMaster=yarn", literal},
        new String[] {"--runner=SparkRunner", "--sparkMaster=spark://m:7077", "--kafkaProperty=ssl.truststore.password=SECRETVALUE"},
        new String[] {"--runner=FlinkRunner", "--azureConnectionString=AccountKey=SECRETVALUE"})) {
      boolean applicationMode = List.of(remote).contains("--azureConnectionString=AccountKey=SECRETVALUE");
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> JobArguments.refuseSecretsTheWorkersCannotReach(remote, applicationMode))
          .as(String.join(" ", remote))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cannot reach the workers of")
          .hasMessageNotContaining("SECRETVALUE");
    }
    // Workers in this process, or references every worker resolves itself: accepted.
    for (String[] fine : List.of(
        new String[] {literal},
        new String[] {"--runner=FlinkRunner", literal},
        new String[] {"--runner=FlinkRunner", "--flinkMaster=[local]", literal},
        new String[] {"--runner=SparkRunner", "--sparkMaster=local[2]", literal},
        new String[] {"--runner=FlinkRunner", "--flinkMaster=jm:8081", "--inputConnectionString=${env:EVENTHUBS_INPUT_CONNECTION_STRING}",
            "--kafkaProperty=ssl.truststore.password=${file:/etc/ehbeam/store.properties:password}"},
        new String[] {"--runner=SparkRunner", "--sparkMaster=yarn", "--outputConnectionString=${dir:/etc/eventhubs:output}"})) {
      JobArguments.refuseSecretsTheWorkersCannotReach(fine, false);
    }
  }

}
