package io.ehbeam.pipelines.common;

import io.ehbeam.pipelines.archive.ArchivePipeline;
import io.ehbeam.transforms.archive.BlobStorageClients;
import io.ehbeam.transforms.connect.Hubs;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.connect.SecretReference;
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
 */
public final class RunnerDefaults {
  private static final List<String> DIRECT = List.of("--enforceImmutability=false", "--enforceEncodability=false");
  private static final List<String> FLINK = List.of("--fasterCopy=true");

  private RunnerDefaults() {}

  /** {@code args} with the runner's defaults added for the options they do not set. */
  public static String[] apply(String[] args) {
    List<String> result = new ArrayList<>(List.of(args));
    String runner = runner(args);
    List<String> defaults = runner.equals("directrunner") || runner.equals("direct") ? DIRECT
        : runner.equals("flinkrunner") || runner.equals("flink") ? FLINK : List.of();
    for (String option : defaults) {
      String name = option.substring(0, option.indexOf('='));
      if (result.stream().noneMatch(a -> a.equals(name) || a.startsWith(name + "="))) {
        result.add(option);
      }
    }
    return result.toArray(new String[0]);
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
   * Secrets given as option values are kept in the launching JVM and never travel with the job
   * ({@code SecretReference}); workers in other processes could not read them. Refuses, before
   * anything runs, a literal secret with a runner whose workers are elsewhere: a Flink master that
   * is a cluster (or Flink's application mode, {@code inFlinkCluster}), a Spark master that is not
   * {@code local}.
   *
   * @throws IllegalArgumentException one line naming the option and what to give instead
   */
  public static void refuseSecretsTheWorkersCannotReach(String[] args, boolean inFlinkCluster) {
    String runner = runner(args);
    String workers = null;
    if (runner.equals("flinkrunner") || runner.equals("flink")) {
      String master = value(args, "--flinkMaster", "[auto]");
      if (inFlinkCluster || !List.of("[local]", "[auto]", "[collection]").contains(master)) {
        workers = inFlinkCluster ? "the Flink cluster running this application" : "--flinkMaster=" + master;
      }
    } else if (runner.equals("sparkrunner") || runner.equals("spark")) {
      String master = value(args, "--sparkMaster", "local[4]");
      if (!master.startsWith("local")) {
        workers = "--sparkMaster=" + master;
      }
    }
    if (workers == null) {
      return;
    }
    for (String a : args) {
      int eq = a.indexOf('=');
      String name = eq < 0 ? a : a.substring(0, eq);
      String value = eq < 0 ? "" : a.substring(eq + 1);
      String instead = SECRET_OPTIONS.get(name);
      boolean literalKafkaSecret = name.equals("--kafkaProperty") && value.indexOf('=') > 0
          && KafkaEndpoint.isSecretKey(value.substring(0, value.indexOf('=')).trim())
          && !value.contains("${");
      if (instead != null && !value.isBlank() && !SecretReference.isReference(value) || literalKafkaSecret) {
        String what = literalKafkaSecret ? "--kafkaProperty " + value.substring(0, value.indexOf('=')) : name;
        throw new IllegalArgumentException(what + " is given as a value, which stays in this process and cannot reach"
            + " the workers of " + workers + ": " + (instead != null ? instead
            : "give it as ${env:NAME}, ${file:path:key} or ${dir:path:key} present on every worker"));
      }
    }
  }

  /** Secret options and what to give on a cluster instead of a value. */
  private static final java.util.Map<String, String> SECRET_OPTIONS = java.util.Map.of(
      "--inputConnectionString", "set " + Hubs.ENV_INPUT + " (or " + Hubs.ENV_BOTH + ") on every worker and here, or pass"
          + " --inputConnectionString='${env:NAME}' (or '${file:path:key}', '${dir:path:key}')",
      "--outputConnectionString", "set " + Hubs.ENV_OUTPUT + " (or " + Hubs.ENV_BOTH + ") on every worker and here, or pass"
          + " --outputConnectionString='${env:NAME}' (or '${file:path:key}', '${dir:path:key}')",
      "--azureConnectionString", "set " + BlobStorageClients.ENV + " on every worker and here instead");

  private static String value(String[] args, String name, String otherwise) {
    String result = otherwise;
    for (String a : args) {
      if (a.startsWith(name + "=")) {
        result = a.substring(name.length() + 1);
      }
    }
    return result;
  }

  /** {@link ReadOptions#getPlannedRead}'s default: splittable on the DirectRunner, bounded sources elsewhere. */
  public static final class PlannedReadByRunner implements DefaultValueFactory<ReadFromHub.PlannedRead> {
    @Override
    public ReadFromHub.PlannedRead create(PipelineOptions options) {
      return isDirect(options) ? ReadFromHub.PlannedRead.SPLITTABLE_DOFN : ReadFromHub.PlannedRead.BOUNDED_SOURCES;
    }
  }

  /** The archive's {@code --commitOffsets} default: when checkpointed on Spark, after the files elsewhere. */
  public static final class ArchiveCommitByRunner implements DefaultValueFactory<ArchivePipeline.CommitOffsets> {
    @Override
    public ArchivePipeline.CommitOffsets create(PipelineOptions options) {
      // Spark's classic runner has no timers, which committing after the files needs.
      return options.getRunner().getSimpleName().equals("SparkRunner")
          ? ArchivePipeline.CommitOffsets.WHEN_CHECKPOINTED : ArchivePipeline.CommitOffsets.AFTER_FILES_WRITTEN;
    }
  }

  private static boolean isDirect(PipelineOptions options) {
    return options.getRunner().getSimpleName().equals("DirectRunner");
  }

  /** The runner's simple name in lower case: Beam takes DirectRunner, directrunner, direct or the class name alike. */
  private static String runner(String[] args) {
    String runner = "DirectRunner";
    for (String a : args) {
      if (a.startsWith("--runner=")) {
        runner = a.substring("--runner=".length());
      }
    }
    return runner.substring(runner.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
  }
}
