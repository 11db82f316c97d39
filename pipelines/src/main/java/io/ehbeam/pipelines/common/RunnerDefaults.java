package io.ehbeam.pipelines.common;

import io.ehbeam.pipelines.relay.RelayPipeline;
import io.ehbeam.transforms.archive.BlobStorageClients;
import io.ehbeam.transforms.io.ReadFromHub;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where the runners differ for the jobs, in one place: the options whose defaults depend on the
 * runner ({@link PlannedReadByRunner}, {@link ArchiveCommitByRunner}), and defaults a job gets on a
 * runner unless the user sets them: on the DirectRunner, Beam checks that no step mutates its input and that every element
 * survives its coder, by copying and encoding each element again: a safety net for tests
 * ({@code TestPipeline} keeps it on), measured here as 3x slower and 6 GB of memory for the relay.
 * Jobs run from the jar turn it off. On Flink, every element is copied between chained steps unless
 * {@code --fasterCopy}: the copies guard against steps that mutate what they were given, which
 * those checks rule out for these pipelines (the tests run with them on), so Flink skips them.
 * Spark streams in micro-batches of 2 s rather than Beam's 500 ms: each batch costs the driver
 * a fixed half second or so (scheduling three stages, checkpointing), so 500 ms batches fell
 * behind above about 3,000 events/s on 2 cores (latency grew to 13 s at 5,000 events/s).
 */
public final class RunnerDefaults {
  private static final List<String> DIRECT = List.of("--enforceImmutability=false", "--enforceEncodability=false");
  /** The SparkRunner's micro-batch interval unless {@code --batchIntervalMillis} is given. */
  public static final long SPARK_BATCH_MILLIS = 2_000;
  private static final List<String> FLINK = List.of("--fasterCopy=true");
  private static final List<String> SPARK = List.of("--batchIntervalMillis=" + SPARK_BATCH_MILLIS);
  /** Every runner: Azure Blob Storage clients that read {@code --azureConnectionString} as a reference. */
  private static final List<String> ALL = List.of("--blobstoreClientFactoryClass=" + BlobStorageClients.class.getName());

  private RunnerDefaults() {}

  /** {@code args} with the runner's defaults added for the options they do not set. */
  public static String[] apply(String[] args) {
    return apply(args, false);
  }

  /** The same; {@code inFlinkCluster}: Flink's application mode, whose cluster configures its state. */
  public static String[] apply(String[] args, boolean inFlinkCluster) {
    return apply(args, inFlinkCluster, PipelineOptions.class);
  }

  /** The same, for a job with {@code options}. */
  public static String[] apply(String[] args, boolean inFlinkCluster, Class<?> options) {
    List<String> result = new ArrayList<>(List.of(args));
    String runner = runner(args);
    refuseExactlyOnceWithoutStableInput(args, runner);
    checkpointEachRunApart(result, runner, options);
    List<String> defaults = new ArrayList<>(ALL);
    boolean flink = runner.equals("flinkrunner") || runner.equals("flink");
    defaults.addAll(runner.equals("directrunner") || runner.equals("direct") ? DIRECT : flink ? FLINK
        : isSpark(runner) ? SPARK : List.of());
    if (flink && !inFlinkCluster && has(args, "--checkpointingInterval") && !has(args, "--stateBackendFactory")
        && List.of("[local]", "[auto]").contains(value(args, "--flinkMaster", "[auto]"))) {
      // In-process Flink keeps checkpoints in the JobManager's memory, 5 MB at most: a job with more
      // state (an archive's open windows) never completes one. Files hold any size.
      defaults.add("--stateBackend=filesystem");
      defaults.add("--stateBackendStoragePath="
          + ProjectFiles.home().toAbsolutePath().normalize().resolve(".local/flink-checkpoints").toUri());
    }
    for (String option : defaults) {
      String name = option.substring(0, option.indexOf('='));
      if (result.stream().noneMatch(a -> a.equals(name) || a.startsWith(name + "="))) {
        result.add(option);
      }
    }
    return result.toArray(new String[0]);
  }

  /**
   * {@code --exactlyOnce} writes through KafkaIO's exactly-once sink, which is right only where the
   * runner replays exactly what it had before a failure: Flink with checkpoints. The DirectRunner
   * and the SparkRunner accept the sink but do not keep its input stable, so they are refused.
   */
  static void refuseExactlyOnceWithoutStableInput(String[] args, String runner) {
    String exactlyOnce = value(args, "--exactlyOnce", has(args, "--exactlyOnce") ? "true" : "false");
    if (!exactlyOnce.equalsIgnoreCase("true")) {
      return;
    }
    if (!runner.equals("flinkrunner") && !runner.equals("flink")) {
      throw new IllegalArgumentException("--exactlyOnce needs --runner=FlinkRunner with --checkpointingInterval: the "
          + displayName(runner) + " does not replay a step's input exactly after a failure, which Kafka transactions need");
    }
    if (value(args, "--stopAtEnd", "false").equalsIgnoreCase("true")) {
      throw new IllegalArgumentException("--exactlyOnce streams: with --stopAtEnd=true Flink runs a batch job, which has no"
          + " checkpoints to commit the transactions with and reruns whole on failure; drop --stopAtEnd (at least once"
          + " with it: a failed run is run again)");
    }
    long interval;
    try {
      interval = Long.parseLong(value(args, "--checkpointingInterval", "-1"));
    } catch (NumberFormatException e) {
      interval = -1;
    }
    if (interval <= 0) {
      throw new IllegalArgumentException("--exactlyOnce needs --checkpointingInterval=<ms> (for example 2000): Flink"
          + " commits the transactions with each checkpoint, and without checkpoints nothing would be written");
    }
  }

  private static boolean isSpark(String lowerCaseRunner) {
    return lowerCaseRunner.equals("sparkrunner") || lowerCaseRunner.equals("spark");
  }

  /**
   * A Spark streaming job that commits its group after writing starts from the group, so it must
   * not restore Spark's checkpoint: Beam's SparkRunner restores the reader's position from it and
   * drops the micro-batch a kill interrupted (measured: 51 events lost). Each run therefore keeps
   * its checkpoints in a folder of its own under {@code --checkpointDir}.
   */
  static void checkpointEachRunApart(List<String> args, String runner, Class<?> options) {
    String defaultCommit = RelayPipeline.Options.class.isAssignableFrom(options) ? "AFTER_WRITTEN" : "WHEN_CHECKPOINTED";
    String[] given = args.toArray(new String[0]);
    if (!isSpark(runner) || value(given, "--stopAtEnd", "false").equalsIgnoreCase("true")
        || !value(given, "--commitOffsets", defaultCommit).equalsIgnoreCase("AFTER_WRITTEN")
        || !has(given, "--checkpointDir")) {
      return;
    }
    String folder = value(given, "--checkpointDir", "");
    String run = "run-" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
        .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
    args.removeIf(a -> a.startsWith("--checkpointDir="));
    args.add("--checkpointDir=" + (folder.endsWith("/") ? folder : folder + "/") + run);
  }

  private static String displayName(String lowerCaseName) {
    return lowerCaseName.startsWith("spark") ? "SparkRunner" : lowerCaseName.startsWith("direct") ? "DirectRunner"
        : lowerCaseName;
  }

  private static boolean has(String[] args, String name) {
    return java.util.Arrays.stream(args).anyMatch(a -> a.equals(name) || a.startsWith(name + "="));
  }

  static String value(String[] args, String name, String otherwise) {
    String result = otherwise;
    for (String a : args) {
      if (a.startsWith(name + "=")) {
        result = a.substring(name.length() + 1);
      }
    }
    return result;
  }

  /**
   * Whether the runner handed the job to a cluster and will not report on it: Flink with
   * {@code --attachedMode=false}, whose result blocks forever if waited for. By class name: this
   * module does not depend on the Flink runner.
   */
  public static boolean submittedDetached(PipelineResult result) {
    return result.getClass().getSimpleName().equals("FlinkDetachedRunnerResult");
  }

  /**
   * {@link ReadOptions#getPlannedRead}'s default: splittable on the DirectRunner (flat memory), offset
   * chunks on Flink (no flatten of per-partition sources: 0.89 of the baseline against 0.69),
   * bounded sources on Spark and elsewhere (chunks measured no faster there).
   */
  public static final class PlannedReadByRunner implements DefaultValueFactory<ReadFromHub.PlannedRead> {
    @Override
    public ReadFromHub.PlannedRead create(PipelineOptions options) {
      if (isDirect(options)) {
        return ReadFromHub.PlannedRead.SPLITTABLE_DOFN;
      }
      return options.getRunner().getSimpleName().equals("FlinkRunner") ? ReadFromHub.PlannedRead.OFFSET_CHUNKS
          : ReadFromHub.PlannedRead.BOUNDED_SOURCES;
    }
  }

  /**
   * The relay's {@code --commitOffsets} default: after the writes on Spark, whose micro-batches
   * finalize (and so commit) a read before its events are written, when checkpointed elsewhere.
   */
  public static final class RelayCommitByRunner implements DefaultValueFactory<CommitOffsets> {
    @Override
    public CommitOffsets create(PipelineOptions options) {
      return isSpark(options.getRunner().getSimpleName().toLowerCase(java.util.Locale.ROOT))
          ? CommitOffsets.AFTER_WRITTEN : CommitOffsets.WHEN_CHECKPOINTED;
    }
  }

  /** The archive's {@code --commitOffsets} default: when checkpointed on Spark, after the files elsewhere. */
  public static final class ArchiveCommitByRunner implements DefaultValueFactory<CommitOffsets> {
    @Override
    public CommitOffsets create(PipelineOptions options) {
      // Spark's classic runner has no timers, which committing after the files needs.
      return options.getRunner().getSimpleName().equals("SparkRunner")
          ? CommitOffsets.WHEN_CHECKPOINTED : CommitOffsets.AFTER_WRITTEN;
    }
  }

  /**
   * A job whose transforms set timers (state per key with event-time timers): Beam's SparkRunner
   * runs such a DoFn in batch only, and its streaming mode fails deep in the run. Refused before
   * anything runs, in one line with what to do instead.
   */
  public static void refuseStreamingTimersOnSpark(PipelineOptions options, boolean streaming, String job) {
    if (streaming && options.getRunner().getSimpleName().equals("SparkRunner")) {
      throw new IllegalArgumentException(job + " keeps an event-time timer per device, which Beam's SparkRunner"
          + " runs in batch only: add --stopAtEnd=true (read what is there, then stop) or use --runner=FlinkRunner");
    }
  }

  private static boolean isDirect(PipelineOptions options) {
    return options.getRunner().getSimpleName().equals("DirectRunner");
  }

  /** The runner's simple name in lower case: Beam takes DirectRunner, directrunner, direct or the class name alike. */
  static String runner(String[] args) {
    String runner = "DirectRunner";
    for (String a : args) {
      if (a.startsWith("--runner=")) {
        runner = a.substring("--runner=".length());
      }
    }
    return runner.substring(runner.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
  }
}
