package io.ehbeam.pipelines.common;

import io.ehbeam.transforms.connect.HubOptions;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.io.HubAdmin;
import io.ehbeam.transforms.io.ReadPlan;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import io.ehbeam.transforms.io.ReadFromHub;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** What every job does around its pipeline: check the hubs first, run, commit, report. */
public final class Jobs {
  private Jobs() {}

  /** The counters a job reports, read from the runner's metrics when it has finished. */
  public record Outcome(PipelineResult.State state, Map<String, Long> counters, long elapsedMillis) {
    /** {@code counter} per second of the job's wall time. */
    public double perSecond(String counter) {
      return elapsedMillis == 0 ? 0 : counter(counter) * 1000.0 / elapsedMillis;
    }

    public long counter(String name) {
      return counters.getOrDefault(name, 0L);
    }

    /**
     * The outcome of a job that ran in another process (a jar, a cluster's driver), read back from
     * the closing report {@link #runToEnd} printed: its last "Job STATE in S s: name=N, ..." line.
     */
    public static Optional<Outcome> fromReport(String output) {
      Matcher m = REPORT.matcher(output);
      Outcome last = null;
      while (m.find()) {
        Map<String, Long> counters = new LinkedHashMap<>();
        Matcher c = REPORTED_COUNTER.matcher(m.group(3));
        while (c.find()) {
          counters.put(c.group(1), Long.parseLong(c.group(2).replace(",", "")));
        }
        last = new Outcome(PipelineResult.State.valueOf(m.group(1)), counters,
            Math.round(Double.parseDouble(m.group(2)) * 1000));
      }
      return Optional.ofNullable(last);
    }
  }

  private static final Pattern REPORT = Pattern.compile("(?m)^Job ([A-Z]+) in ([0-9.]+) s: (.*)$");
  private static final Pattern REPORTED_COUNTER = Pattern.compile("(\\w+)=([0-9,]+)");

  /**
   * Before building a pipeline: the input topic must exist; output topics are created (with {@code
   * --partitions}) when missing. Fails with one clear line otherwise.
   */
  public static void prepareTopics(HubOptions options, KafkaEndpoint input, KafkaEndpoint... outputs) {
    try (HubAdmin admin = HubAdmin.connect(input)) {
      admin.requireTopic(input.requireTopic("--inputTopic"), "Input");
    }
    prepareOutputs(options, outputs);
  }

  /** Creates output topics (with {@code --partitions}) when missing. */
  public static void prepareOutputs(HubOptions options, KafkaEndpoint... outputs) {
    for (KafkaEndpoint output : outputs) {
      try (HubAdmin admin = HubAdmin.connect(output)) {
        admin.ensureTopic(output.requireTopic("--outputTopic"), options.getPartitions());
      }
    }
  }

  /**
   * Runs {@code pipeline} until it ends (a streaming job runs until stopped), then, if it read a
   * {@link ReadPlan} (plan and input may be null), commits the plan: offsets move only after every output was written.
   */
  public static Outcome runToEnd(Pipeline pipeline, ReadPlan plan, KafkaEndpoint input, PrintStream report) {
    if (plan != null) {
      report.printf("Reading %,d records from %s (%s), then stopping.%n",
          plan.totalRecords(), input, plan.ranges());
    }
    long start = System.currentTimeMillis();
    PipelineResult result = pipeline.run();
    if (RunnerDefaults.submittedDetached(result)) {
      long submitted = System.currentTimeMillis() - start;
      report.println("Job " + PipelineResult.State.RUNNING + " in " + String.format(Locale.ROOT, "%.1f", submitted / 1000.0)
          + " s: submitted detached; it runs on the cluster, follow or cancel it in Flink's web UI."
          + (plan == null ? "" : " (A --stopAtEnd read commits its offsets only when ./run waits for the job.)"));
      return new Outcome(PipelineResult.State.RUNNING, Map.of(), submitted);
    }
    PipelineResult.State state = result.waitUntilFinish();
    long elapsed = System.currentTimeMillis() - start;
    Map<String, Long> counters = counters(result);
    if (state == PipelineResult.State.DONE && plan != null) {
      plan.commit(input);
    }
    // Read back by Outcome.fromReport: keep the shape.
    report.println("Job " + state + " in " + String.format(Locale.ROOT, "%.1f", elapsed / 1000.0) + " s: " + describe(counters));
    return new Outcome(state, counters, elapsed);
  }

  /** Beam's counter of events dropped by windowing for being too late (runner-core's spelling). */
  static final String DROPPED_LATE_BY_BEAM = "droppedDueToLateness";
  public static final String DROPPED_LATE = "droppedLate";

  /** The jobs' counters (ehbeam namespace), plus {@link #DROPPED_LATE} when Beam dropped late events. */
  public static Map<String, Long> counters(PipelineResult result) {
    Map<String, Long> counters = new LinkedHashMap<>();
    try {
      MetricQueryResults metrics = result.metrics().queryMetrics(MetricsFilter.builder().build());
      for (MetricResult<Long> c : metrics.getCounters()) {
        if (c.getName().getNamespace().equals(ReadFromHub.METRICS_NAMESPACE)) {
          counters.merge(c.getName().getName(), c.getAttempted(), Long::sum);
        } else if (c.getName().getName().equalsIgnoreCase(DROPPED_LATE_BY_BEAM) && c.getAttempted() > 0) {
          // Beam's windowing drops events later than the allowed lateness; each runner counts them
          // under its own namespace (and the DirectRunner capitalised). Reported, so that no event
          // goes missing without a number.
          counters.merge(DROPPED_LATE, c.getAttempted(), Long::sum);
        }
      }
    } catch (UnsupportedOperationException e) {
      // a runner without metrics: the report says so by having no counters
    }
    return counters;
  }

  static String describe(Map<String, Long> counters) {
    if (counters.isEmpty()) {
      return "no counters reported by the runner";
    }
    StringBuilder s = new StringBuilder();
    counters.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(k).append('=').append(String.format(Locale.ROOT, "%,d", v)));
    return s.toString();
  }
}
