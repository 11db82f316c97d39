package io.ehbeam.pipelines.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.pipelines.aggregate.AggregatePipeline;
import io.ehbeam.pipelines.archive.ArchivePipeline;
import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.pipelines.common.ProjectFiles;
import io.ehbeam.pipelines.produce.ProduceTemperatures;
import io.ehbeam.pipelines.produce.SimulateDevices;
import io.ehbeam.pipelines.relay.RelayPipeline;
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
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * How a scenario starts a job: in the test's own JVM (the runners' module tests), or as a user
 * does, through {@code ./run} in another process (the cluster tests: the runner's bundled jar,
 * submitted to a real cluster).
 */
@FunctionalInterface
public interface JobLauncher {
  Jobs.Outcome run(String command, List<String> args);

  JobLauncher IN_THIS_JVM = (command, args) -> {
    String[] a = args.toArray(new String[0]);
    switch (command) {
      case "relay":
        return RelayPipeline.run(PipelineOptionsFactory.fromArgs(a).as(RelayPipeline.Options.class));
      case "produce-temperatures":
        return ProduceTemperatures.run(PipelineOptionsFactory.fromArgs(a).as(ProduceTemperatures.Options.class));
      case "simulate-devices":
        return SimulateDevices.run(PipelineOptionsFactory.fromArgs(a).as(SimulateDevices.Options.class));
      case "aggregate":
        return AggregatePipeline.run(PipelineOptionsFactory.fromArgs(a).as(AggregatePipeline.Options.class));
      case "archive":
        return ArchivePipeline.run(PipelineOptionsFactory.fromArgs(a).as(ArchivePipeline.Options.class));
      default:
        throw new IllegalArgumentException("no such job: " + command);
    }
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
