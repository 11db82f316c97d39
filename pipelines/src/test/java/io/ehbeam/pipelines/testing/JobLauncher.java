package io.ehbeam.pipelines.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.pipelines.Main;
import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.pipelines.common.ProjectFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How a scenario starts a job: in the test's own JVM (the runners' module tests), or as a user
 * does, through {@code ./run} in another process (the cluster tests: the runner's bundled jar,
 * submitted to a real cluster).
 */
@FunctionalInterface
public interface JobLauncher {
  Jobs.Outcome run(String command, List<String> args);

  JobLauncher IN_THIS_JVM = (command, args) -> {
    List<String> all = new ArrayList<>(args);
    if (args.stream().noneMatch(x -> x.startsWith("--runner=")) || args.contains("--runner=DirectRunner")) {
      // The tests keep the DirectRunner's checks that no step mutates or mis-encodes an element
      // (jobs run from the jar turn them off: RunnerDefaults).
      all.addAll(List.of("--enforceImmutability=true", "--enforceEncodability=true"));
    }
    // The jobs as Main knows them: one registry for the command line and the tests.
    return Main.runJob(command, all.toArray(new String[0]));
  };

  /**
   * {@code ./run <command> <args>} in its own process with extra environment; the job must exit 0
   * and print its closing report, which becomes the outcome.
   */
  static JobLauncher runScript(Map<String, String> environment, Duration timeout) {
    return (command, args) -> {
      try {
        List<String> line = new ArrayList<>(List.of("bash", ProjectFiles.home().resolve("run").toString(), command));
        line.addAll(args);
        Path output = Files.createTempFile("ehbeam-" + command, ".out");
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        boolean ended = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(ended).as("./run %s ended within %s; it printed:%n%s", command, timeout, printed).isTrue();
        assertThat(process.exitValue()).as("./run %s exit code; it printed:%n%s", command, printed).isZero();
        return Jobs.Outcome.fromReport(printed)
            .orElseThrow(() -> new AssertionError("./run " + command + " printed no closing report:\n" + printed));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    };
  }
}
