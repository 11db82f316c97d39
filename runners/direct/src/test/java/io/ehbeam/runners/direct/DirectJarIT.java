package io.ehbeam.runners.direct;

import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.pipelines.testing.HubFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The laptop jar as ./run starts it: a separate JVM on the shaded jar, so that what shading can
 * break (merged service files: runner and filesystem registrars, Kafka plug-ins) is tested too.
 */
class DirectJarIT {
  static final Path JAR = Path.of("target", "ehbeam-direct.jar");

  static String[] run(String... args) throws IOException, InterruptedException {
    assertThat(JAR).exists();
    // As ./run starts it: the project root tells the jar where datafiles/ and the other jars are.
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dehbeam.home=" + System.getProperty("ehbeam.home", "../.."), "-jar", JAR.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("direct-jar", ".out");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the jar finished").isTrue();
    return new String[] {Integer.toString(process.exitValue()), Files.readString(out, StandardCharsets.UTF_8)};
  }

  @Test
  void aJobRunsFromTheShadedJar() throws Exception {
    HubFixture hub = HubFixture.plain();
    String input = hub.newTopic("jar-in", 2);
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      records.add(new SimpleEntry<>("d" + i % 7, ("{\"eventId\":\"" + i + "\"}").getBytes(StandardCharsets.UTF_8)));
    }
    records.add(new SimpleEntry<>("bad", "not json".getBytes(StandardCharsets.UTF_8)));
    hub.write(input, records);
    String output = hub.newTopic("jar-out", 2);
    String[] result = run("relay", "--bootstrapServers=" + hub.bootstrapServers(), "--inputTopic=" + input,
        "--outputTopic=" + output, "--stopAtEnd=true");
    assertThat(result[0]).as(result[1]).isEqualTo("0");
    assertThat(result[1]).contains("Job DONE", "written=500", "read=501", "deadLettered=1");
    assertThat(hub.readAll(output)).hasSize(500)
        .allSatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8)).contains("\"processedAt\":"));
  }

  @Test
  void theJarCarriesTheJobsAndNoTool() throws Exception {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      List<String> names = jar.stream().map(JarEntry::getName).toList();
      assertThat(names).contains("io/ehbeam/pipelines/Main.class", "io/ehbeam/pipelines/relay/RelayPipeline.class");
      assertThat(names).noneMatch(n -> n.startsWith("io/ehbeam/tools/") || n.startsWith("io/ehbeam/localkafka/")
          || n.startsWith("org/knowm/xchart/"));
    }
  }

  @Test
  void helpListsTheCommands() throws Exception {
    String[] result = run("--help");
    assertThat(result[0]).isEqualTo("0");
    assertThat(result[1]).contains("relay", "aggregate", "archive").doesNotContain("demo", "local-kafka");
  }
}
