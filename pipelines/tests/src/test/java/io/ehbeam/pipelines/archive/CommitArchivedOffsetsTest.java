package io.ehbeam.pipelines.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.pipelines.testing.HubFixture;
import io.ehbeam.transforms.archive.CommitArchivedOffsets;
import io.ehbeam.transforms.archive.WindowWritten;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.local.LocalProcess;
import io.ehbeam.transforms.io.ReadFromHub;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** CommitArchivedOffsets on a TestStream of written windows, committing to the real broker. */
class CommitArchivedOffsetsTest {
  private static final long MINUTE = 60_000;
  private static final long T0 = 1_700_000_040_000L - 1_700_000_040_000L % MINUTE;

  private static TimestampedValue<WindowWritten> written(int partition, int window, long minOffset, long firstEventSecond) {
    long start = T0 + window * MINUTE;
    return TimestampedValue.of(new WindowWritten(partition, start, minOffset, start + firstEventSecond * 1000, 10, 1),
        new Instant(start + MINUTE - 1));
  }

  @Test
  void commitsTheLowestOffsetOfTheTwoNewestWrittenWindowsOnceTheWatermarkHasPassed() throws NoSuchSchemaException {
    HubFixture hub = HubFixture.plain();
    String topic = hub.newTopic("commit-archived", 3);
    String group = topic + "-cg";
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    TestStream<WindowWritten> stream = TestStream.create(pipeline.getSchemaRegistry().getSchemaCoder(WindowWritten.class))
        // Partition 0: windows 0, 1, 2 written; in window 2 an event of offset 95 came before window 1's.
        .addElements(written(0, 0, 0, 1), written(0, 1, 100, 1))
        .advanceWatermarkTo(new Instant(T0 + 2 * MINUTE))
        .addElements(written(0, 2, 95, 1))
        // Partition 1: window 5 alone, its first event 40 s before its end (older than the 30 s bound).
        .addElements(written(1, 5, 300, 20))
        // Partition 2: window 5 alone, all its events in its last 30 s: not safe to commit on its own.
        .addElements(written(2, 5, 700, 45))
        .advanceWatermarkToInfinity();
    KafkaEndpoint input = KafkaEndpoint.plainKafka(hub.bootstrapServers(), topic);
    pipeline.apply(stream).apply(new CommitArchivedOffsets(input, group, Duration.standardMinutes(1)));
    pipeline.run().waitUntilFinish();

    Map<Integer, Long> committed = hub.committed(group, topic, 3);
    assertThat(committed.get(0)).as("min of windows 1 and 2").isEqualTo(95L);
    assertThat(committed.get(1)).isEqualTo(300L);
    assertThat(committed.get(2)).as("nothing safe to commit").isNull();
    assertThat(CommitArchivedOffsets.keptWindowStarts(input, group))
        .containsExactlyInAnyOrderEntriesOf(Map.of(0, T0 + MINUTE, 1, T0 + 5 * MINUTE));
  }

  /**
   * The hub does not answer (nothing listens where it was): the windows' commits are deferred and
   * counted, and the pipeline goes on to its end instead of failing.
   */
  @Test
  void aCommitTheHubDoesNotAnswerIsDeferredAndDoesNotFailTheJob() throws NoSuchSchemaException {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    TestStream<WindowWritten> stream = TestStream.create(pipeline.getSchemaRegistry().getSchemaCoder(WindowWritten.class))
        .addElements(written(0, 0, 0, 1), written(0, 1, 100, 1))
        .advanceWatermarkTo(new Instant(T0 + 2 * MINUTE))
        .addElements(written(0, 2, 200, 1))
        .advanceWatermarkToInfinity();
    KafkaEndpoint away = KafkaEndpoint.plainKafka("localhost:" + LocalProcess.freePort(), "gone");
    pipeline.apply(stream).apply(new CommitArchivedOffsets(away, "cg", Duration.standardMinutes(1))
        .withCommitTimeout(java.time.Duration.ofSeconds(1)));
    PipelineResult result = pipeline.run();
    assertThat(result.waitUntilFinish()).isEqualTo(PipelineResult.State.DONE);
    assertThat(counter(result, "commitsDeferred")).as("one per window the watermark passed").isEqualTo(2);
    assertThat(counter(result, "commits")).isZero();
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(ReadFromHub.METRICS_NAMESPACE, name)).build()).getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }
}
