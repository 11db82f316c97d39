package io.ehbeam.pipelines;

import io.ehbeam.pipelines.aggregate.AggregatePipeline;
import io.ehbeam.pipelines.archive.ArchivePipeline;
import io.ehbeam.pipelines.common.CommandLine;
import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.pipelines.common.JobArguments;
import io.ehbeam.pipelines.monitor.MonitorDevicesPipeline;
import io.ehbeam.pipelines.produce.ProduceTemperatures;
import io.ehbeam.pipelines.produce.SimulateDevices;
import io.ehbeam.pipelines.relay.RelayPipeline;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The one entry point of every runner's jar: {@code <job> [--option=value ...]}. The jars carry
 * the jobs only; the developer tools (demo, benchmark, peek, ...) are {@code io.ehbeam.tools.Tools}.
 */
public final class Main {
  static final String JOBS = "Jobs";

  /** Each job by name: its command line to its outcome (declared first: the commands below fill it). */
  private static final Map<String, Function<String[], Jobs.Outcome>> RUNS = new java.util.LinkedHashMap<>();

  private static final CommandLine COMMANDS = new CommandLine(
      "Run ./run <command> --help for a command's options. Jobs take Beam's options too,\n"
          + "e.g. --runner=DirectRunner (default) | FlinkRunner | SparkRunner. Add --verbose for stack traces.\n")
      .add(JOBS, "relay", job("relay",
          "Relay JSON events from one hub to another, adding enqueuedAt and processedAt",
          RelayPipeline.Options.class, RelayPipeline::run))
      .add(JOBS, "produce-temperatures", job("produce-temperatures",
          "Replay hourly city temperatures (Open-Meteo documents or JSON lines) into a hub, joined with the location master",
          ProduceTemperatures.Options.class, ProduceTemperatures::run))
      .add(JOBS, "simulate-devices", job("simulate-devices",
          "Simulate IoT devices sending ~1 KB JSON events at a sustained rate, with duplicates (load generator)",
          SimulateDevices.Options.class, SimulateDevices::run))
      .add(JOBS, "aggregate", job("aggregate",
          "Count, min, max and mean per city and month (or day, hour; or per device type and minute), in event time",
          AggregatePipeline.Options.class, AggregatePipeline::run))
      .add(JOBS, "archive", job("archive",
          "Land a hub's events as JSON lines, Parquet or Avro files, windowed, partitioned by event time",
          ArchivePipeline.Options.class, ArchivePipeline::run))
      .add(JOBS, "monitor-devices", job("monitor-devices",
          "Per-device patterns in event time (first event, temperatures in the 70s, high CO2, silences): one alert per finding",
          MonitorDevicesPipeline.Options.class, MonitorDevicesPipeline::run));

  private Main() {}

  /** A job: parse and validate its options, run it to its end, exit 0 when it is DONE. */
  private static <O extends PipelineOptions> CommandLine.Command job(
      String name, String summary, Class<O> options, Function<O, Jobs.Outcome> job) {
    RUNS.put(name, args -> job.apply(JobArguments.parse(args, options, loadedByFlink())));
    return new CommandLine.Command(summary, options, args -> exitCode(RUNS.get(name).apply(args)));
  }

  /** Runs job {@code name} on this command line in this JVM and returns its outcome (exceptions as they come). */
  public static Jobs.Outcome runJob(String name, String[] args) {
    Function<String[], Jobs.Outcome> run = RUNS.get(name);
    if (run == null) {
      throw new IllegalArgumentException("no such job: " + name);
    }
    return run.apply(args);
  }

  public static void main(String[] args) {
    int code = run(args);
    if (loadedByFlink()) {
      // Flink's application mode (AKS) runs main() inside the JobManager: exiting would take the
      // JobManager down. Flink marks the application failed when main() throws.
      if (code != 0) {
        throw new IllegalStateException("the command ended with exit code " + code + " (see the lines above)");
      }
      return;
    }
    System.exit(code);
  }

  /** Runs a job; returns the exit code. */
  public static int run(String[] args) {
    return COMMANDS.run(args);
  }

  /** True when a Flink cluster loaded this jar as user code (application mode, a submitted jar). */
  static boolean loadedByFlink() {
    return Main.class.getClassLoader().getClass().getName().startsWith("org.apache.flink.");
  }

  /** Each job's name and one-line summary. */
  public static Map<String, String> jobs() {
    return COMMANDS.summaries();
  }

  /** The options interface of a job: what deployment files' arguments are checked against. */
  public static Optional<Class<? extends PipelineOptions>> optionsOf(String job) {
    return COMMANDS.command(job).map(CommandLine.Command::options);
  }

  static int exitCode(Jobs.Outcome outcome) {
    // RUNNING: submitted detached (Flink's --attachedMode=false), the cluster runs it.
    return outcome.state() == PipelineResult.State.DONE || outcome.state() == PipelineResult.State.RUNNING ? 0 : 1;
  }
}
