package io.ehbeam.runners.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ehbeam.pipelines.Main;
import io.ehbeam.pipelines.common.ProjectFiles;
import io.ehbeam.pipelines.testing.DeploymentArgs;
import io.ehbeam.pipelines.testing.PomFiles;
import io.ehbeam.transforms.archive.BlobStorageClients;
import io.ehbeam.transforms.connect.Hubs;
import io.ehbeam.transforms.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The HDInsight files (runners/spark/hdinsight) agree with the code, the build and each other. */
class HdInsightFilesTest {
  static final Path HDINSIGHT = ProjectFiles.home().resolve("runners/spark/hdinsight");

  static List<Path> livyBatches() throws IOException {
    try (Stream<Path> files = Files.list(HDINSIGHT)) {
      return files.filter(f -> f.getFileName().toString().matches("livy-.*\\.json")).sorted().toList();
    }
  }

  @Test
  void eachLivyBatchRunsTheJarWithArgumentsThePipelineAccepts() throws IOException {
    DeploymentArgs.assertTheCheckRefusesMistakes();
    assertThat(livyBatches()).hasSize(4);
    String jar = shadedJarName();
    for (Path f : livyBatches()) {
      String file = f.getFileName().toString();
      JsonNode batch = Json.MAPPER.readTree(f.toFile());
      assertThat(batch.path("file").asText()).as(file).endsWith("/" + jar);
      assertThat(batch.path("className").asText()).as(file).isEqualTo(Main.class.getName());
      List<String> args = new ArrayList<>();
      batch.path("args").forEach(a -> args.add(a.asText()));
      assertThat(file).isEqualTo("livy-" + args.get(0) + ".json");
      assertThat(args).contains("--runner=SparkRunner", "--sparkMaster=yarn");
      DeploymentArgs.assertRunsAPipeline(file, args);

      JsonNode conf = batch.path("conf");
      assertThat(conf.path("spark.driver.extraJavaOptions").asText()).as(file).isEqualTo(sparkJvmFlags());
      assertThat(conf.path("spark.executor.extraJavaOptions").asText()).as(file).isEqualTo(sparkJvmFlags());
      Pattern redaction = Pattern.compile(conf.path("spark.redaction.regex").asText());
      for (Iterator<Map.Entry<String, JsonNode>> it = conf.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String envPrefix = e.getKey().startsWith("spark.yarn.appMasterEnv.") ? "spark.yarn.appMasterEnv."
            : e.getKey().startsWith("spark.executorEnv.") ? "spark.executorEnv." : null;
        if (envPrefix != null) {
          String variable = e.getKey().substring(envPrefix.length());
          assertThat(variable).isIn(Hubs.ENV_BOTH, Hubs.ENV_INPUT, Hubs.ENV_OUTPUT, BlobStorageClients.ENV);
          assertThat(e.getValue().asText()).as(file + ": a placeholder, never the secret").isEqualTo("${" + variable + "}");
          assertThat(redaction.matcher(e.getKey()).find()).as(file + ": Spark's UI redacts " + e.getKey()).isTrue();
        }
      }
      // The driver and every executor: the job holds only the variable's name, each Kafka client reads it.
      for (String where : List.of("spark.yarn.appMasterEnv.", "spark.executorEnv.")) {
        assertThat(conf.has(where + Hubs.ENV_BOTH)).as(file + " sets " + where + Hubs.ENV_BOTH).isTrue();
        if (args.stream().anyMatch(a -> a.startsWith("--outputDirectory=azfs://"))) {
          assertThat(conf.has(where + BlobStorageClients.ENV)).as(file).isTrue();
        }
      }
    }
  }

  @Test
  void theSubmitScriptUsesTheProjectsJavaFlagsAndEntryPoint() throws IOException {
    String script = Files.readString(HDINSIGHT.resolve("submit.sh"));
    assertThat(script).contains("JAVA17='" + sparkJvmFlags() + "'")
        .contains("--class " + Main.class.getName())
        .contains("/" + shadedJarName());
    for (String variable : List.of(Hubs.ENV_BOTH, Hubs.ENV_INPUT, Hubs.ENV_OUTPUT, BlobStorageClients.ENV)) {
      assertThat(script).contains(variable);
    }
  }

  static String shadedJarName() {
    return PomFiles.shadedJarName("runners/spark");
  }

  /** The parent pom's jvm.flags.spark: the one place Spark's Java 17 flags are kept. */
  static String sparkJvmFlags() {
    return PomFiles.element("pom.xml", "jvm.flags.spark");
  }
}
