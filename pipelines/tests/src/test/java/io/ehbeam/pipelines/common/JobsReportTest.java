package io.ehbeam.pipelines.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;

/** A job's closing report, printed in one process, read back in another (clusters, benchmark). */
class JobsReportTest {
  @Test
  void theReportReadsBackAsTheOutcomeItDescribes() {
    Map<String, Long> counters = new LinkedHashMap<>();
    counters.put("read", 1_234_567L);
    counters.put("written", 1_234_560L);
    counters.put("deadLettered", 7L);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    out.println("Reading 1,234,567 records ... then stopping.");
    out.println("Job " + PipelineResult.State.DONE + " in 12.3 s: " + Jobs.describe(counters));
    out.println("In: 1,234,567 records read.");

    Jobs.Outcome outcome = Jobs.Outcome.fromReport(printed.toString(StandardCharsets.UTF_8)).orElseThrow();
    assertThat(outcome.state()).isEqualTo(PipelineResult.State.DONE);
    assertThat(outcome.counters()).isEqualTo(counters);
    assertThat(outcome.elapsedMillis()).isEqualTo(12_300);
  }

  @Test
  void theLastReportCountsAndNoReportIsNoOutcome() {
    String two = "Job DONE in 1.0 s: read=5\nlog line\nJob FAILED in 2.5 s: no counters reported by the runner\n";
    Jobs.Outcome last = Jobs.Outcome.fromReport(two).orElseThrow();
    assertThat(last.state()).isEqualTo(PipelineResult.State.FAILED);
    assertThat(last.counters()).isEmpty();
    assertThat(Jobs.Outcome.fromReport("error: Input topic 'x' does not exist")).isEmpty();
  }
}
