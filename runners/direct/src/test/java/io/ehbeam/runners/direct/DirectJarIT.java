package io.ehbeam.runners.direct;

import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.localkafka.TestKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
  void demoRunsFromTheShadedJar() throws Exception {
    String[] result = run("demo", "--bootstrapServers=" + TestKafka.get().bootstrapServers(), "--events=500");
    assertThat(result[0]).as(result[1]).isEqualTo("0");
    assertThat(result[1])
        .contains("In: 504 records read. Out: 500 events written to demo-output, 4 records dead-lettered")
        .contains("\"processedAt\":");
  }

  @Test
  void helpListsTheCommands() throws Exception {
    String[] result = run("--help");
    assertThat(result[0]).isEqualTo("0");
    assertThat(result[1]).contains("relay", "demo", "local-kafka");
  }
}
