package io.ehbeam.runners.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ehbeam.pipelines.Main;
import io.ehbeam.pipelines.common.ProjectFiles;
import io.ehbeam.pipelines.testing.DeploymentArgs;
import io.ehbeam.pipelines.testing.PomFiles;
import io.ehbeam.transforms.archive.BlobStorageClients;
import io.ehbeam.transforms.connect.Hubs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The AKS files (runners/flink/aks) agree with the code, the build and each other. */
class DeploymentFilesTest {
  static final Path AKS = ProjectFiles.home().resolve("runners/flink/aks");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static List<Path> deployments() throws IOException {
    try (Stream<Path> files = Files.list(AKS)) {
      return files.filter(f -> f.toString().endsWith(".yaml") && !f.getFileName().toString().equals("storage.yaml"))
          .sorted().toList();
    }
  }

  @Test
  void thereIsADeploymentForEachStreamingPipeline() throws IOException {
    List<String> commands = new ArrayList<>();
    for (Path f : deployments()) {
      commands.add(YAML.readTree(f.toFile()).at("/spec/job/args/0").asText());
    }
    assertThat(commands).containsExactlyInAnyOrderElementsOf(io.ehbeam.pipelines.Main.jobs().keySet());
  }

  @Test
  void eachDeploymentRunsTheImagesJarWithArgumentsThePipelineAccepts() throws IOException {
    DeploymentArgs.assertTheCheckRefusesMistakes();
    String dockerfile = Files.readString(AKS.resolve("Dockerfile"));
    Matcher copy = Pattern.compile("COPY (?:--chown=\\S+ )?runners/flink/target/(\\S+) (\\S+)").matcher(dockerfile);
    assertThat(copy.find()).as("the Dockerfile copies the Flink jar").isTrue();
    assertThat(copy.group(1)).as("the jar the build makes").isEqualTo(shadedJarName());
    assertThat(dockerfile).contains("FROM flink:" + flinkMinorVersion() + "-java17");
    String pvc = YAML.readTree(AKS.resolve("storage.yaml").toFile()).at("/metadata/name").asText();

    for (Path f : deployments()) {
      JsonNode d = YAML.readTree(f.toFile());
      String file = f.getFileName().toString();
      assertThat(d.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
      assertThat(d.path("kind").asText()).isEqualTo("FlinkDeployment");
      assertThat(d.at("/spec/flinkVersion").asText()).as(file).isEqualTo("v" + flinkMinorVersion().replace('.', '_'));
      assertThat(d.at("/spec/job/jarURI").asText()).as(file).isEqualTo("local://" + copy.group(2));
      assertThat(d.at("/spec/job/entryClass").asText()).as(file).isEqualTo(Main.class.getName());
      assertThat(d.at("/spec/job/parallelism").asInt()).as(file).isPositive();
      assertThat(d.at("/spec/job/upgradeMode").asText()).as(file).isIn("savepoint", "stateless", "last-state");

      List<String> args = new ArrayList<>();
      d.at("/spec/job/args").forEach(a -> args.add(a.asText()));
      assertThat(args).as(file).contains("--runner=FlinkRunner").noneMatch(a -> a.startsWith("--flinkMaster"));
      DeploymentArgs.assertRunsAPipeline(file, args);

      // Secrets come from Kubernetes Secrets into the variables the code reads; none is inline.
      JsonNode container = d.at("/spec/podTemplate/spec/containers/0");
      for (JsonNode env : container.path("env")) {
        assertThat(env.path("name").asText()).as(file)
            .isIn(Hubs.ENV_BOTH, Hubs.ENV_INPUT, Hubs.ENV_OUTPUT, BlobStorageClients.ENV);
        assertThat(env.has("value")).as(file + ": secrets only through secretKeyRef").isFalse();
        assertThat(env.at("/valueFrom/secretKeyRef/name").asText()).isIn("ehbeam-eventhubs", "ehbeam-storage");
      }
      if (args.stream().anyMatch(a -> a.startsWith("--outputDirectory=azfs://"))) {
        assertThat(container.path("env").findValuesAsText("name")).as(file).contains(BlobStorageClients.ENV);
      }
      // The TaskManagers' Kafka clients read the variables too: no pod template of their own drops them.
      assertThat(d.at("/spec/taskManager/podTemplate").isMissingNode()).as(file + ": TaskManagers share the pod template")
          .isTrue();
      assertThat(d.at("/spec/podTemplate/spec/volumes/0/persistentVolumeClaim/claimName").asText()).as(file).isEqualTo(pvc);
      // Application mode is detached unless told otherwise; Beam's main() then fails (FlinkClusterIT).
      assertThat(d.at("/spec/flinkConfiguration").path("execution.attached").asText()).as(file).isEqualTo("true");
      String checkpoints = d.at("/spec/flinkConfiguration").path("state.checkpoints.dir").asText();
      assertThat(checkpoints).as(file).startsWith("file://" + container.at("/volumeMounts/0/mountPath").asText());
    }
  }

  @Test
  void theGuideCreatesTheSecretsTheManifestsUseAndNoFileHoldsAKey() throws IOException {
    String guide = Files.readString(AKS.resolve("README.md"));
    for (String secret : Set.of("ehbeam-eventhubs", "ehbeam-storage")) {
      assertThat(guide).contains("kubectl create secret generic " + secret);
    }
    try (Stream<Path> files = Files.list(AKS)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        assertThat(Files.readString(f)).as(f.toString()).doesNotContainPattern("SharedAccessKey=[A-Za-z0-9+/=]{20,}")
            .doesNotContainPattern("AccountKey=[A-Za-z0-9+/=]{20,}");
      }
    }
  }

  /** The shaded jar's name, as this module's pom sets it. */
  static String shadedJarName() {
    return PomFiles.shadedJarName("runners/flink");
  }

  /** "1.19" from the parent pom's flink.version, the Flink the runner is built against. */
  static String flinkMinorVersion() {
    return PomFiles.element("pom.xml", "flink.version").replaceAll("^(\\d+\\.\\d+)\\..*$", "$1");
  }
}
