package io.ehbeam.pipelines.common;

import io.ehbeam.transforms.archive.BlobStorageClients;
import io.ehbeam.transforms.connect.Hubs;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.connect.SecretReference;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * A job's command line, turned into its options: secrets given as values are refused where the
 * workers could not reach them, then kept in this JVM and replaced by references ({@code
 * ${process:..}}), the runner's defaults are added, and Beam parses and validates what is left.
 * The options a job gets therefore hold no secret and are never changed afterwards: runners may
 * print, serialize and ship them as they are.
 */
public final class JobArguments {
  private JobArguments() {}

  /** The options of a job run from this command line ({@code inFlinkCluster}: Flink's application mode). */
  public static <O extends PipelineOptions> O parse(String[] args, Class<O> options, boolean inFlinkCluster) {
    refuseSecretsTheWorkersCannotReach(args, inFlinkCluster);
    return PipelineOptionsFactory.fromArgs(RunnerDefaults.apply(secretsAsReferences(args), inFlinkCluster, options)).withValidation().as(options);
  }

  /**
   * {@code args} with each secret given as a value (a connection string, a password-like {@code
   * --kafkaProperty}) kept in this JVM and replaced by its {@code ${process:..}} reference;
   * references ({@code ${env:..}}, {@code ${file:..}}, {@code ${dir:..}}) stay as given.
   */
  public static String[] secretsAsReferences(String[] args) {
    List<String> result = new ArrayList<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      String name = eq < 0 ? a : a.substring(0, eq);
      String value = eq < 0 ? "" : a.substring(eq + 1);
      if (SECRET_OPTIONS.containsKey(name) && !value.isBlank() && !SecretReference.isReference(value)) {
        result.add(name + "=" + SecretReference.of(value, name).placeholder());
      } else if (isLiteralKafkaSecret(name, value)) {
        String key = value.substring(0, value.indexOf('='));
        String secret = value.substring(value.indexOf('=') + 1);
        result.add(name + "=" + key + "=" + SecretReference.of(secret, "--kafkaProperty " + key.trim()).placeholder());
      } else {
        result.add(a);
      }
    }
    return result.toArray(new String[0]);
  }

  private static boolean isLiteralKafkaSecret(String name, String value) {
    return name.equals("--kafkaProperty") && value.indexOf('=') > 0
        && KafkaEndpoint.isSecretKey(value.substring(0, value.indexOf('=')).trim()) && !value.contains("${");
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
  static void refuseSecretsTheWorkersCannotReach(String[] args, boolean inFlinkCluster) {
    String runner = RunnerDefaults.runner(args);
    String workers = null;
    if (runner.equals("flinkrunner") || runner.equals("flink")) {
      String master = RunnerDefaults.value(args, "--flinkMaster", "[auto]");
      if (inFlinkCluster || !List.of("[local]", "[auto]", "[collection]").contains(master)) {
        workers = inFlinkCluster ? "the Flink cluster running this application" : "--flinkMaster=" + master;
      }
    } else if (runner.equals("sparkrunner") || runner.equals("spark")) {
      String master = RunnerDefaults.value(args, "--sparkMaster", "local[4]");
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
      boolean literalKafkaSecret = isLiteralKafkaSecret(name, value);
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
}
