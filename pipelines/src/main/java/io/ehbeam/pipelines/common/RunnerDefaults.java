package io.ehbeam.pipelines.common;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;

/**
 * Where the runners differ for the jobs. Defaults a job gets on a runner unless the user sets
 * them: on the DirectRunner, Beam checks that no step mutates its input and that every element
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
