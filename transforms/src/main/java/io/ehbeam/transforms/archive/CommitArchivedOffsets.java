package io.ehbeam.transforms.archive;

import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.io.HubAdmin;
import io.ehbeam.transforms.io.ReadFromHub;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the archive's consumer group only over what is in files, so that a job killed at any
 * moment and started again (with or without the runner's state) archives every event exactly once.
 *
 * <p>Per partition, once the watermark shows that every window up to {@code W} is written, it
 * commits the lowest offset of the two newest written windows ({@code W} and the one before) and
 * records in the commit's metadata where those windows start. A restart reads from there, drops
 * events of older windows (already in files, see {@link #keptWindowStarts}) and writes the two
 * windows again, whole, under the same names: the files are replaced, not doubled. Why the window
 * before: an event of a later window can precede, in offset order, events of {@code W} by up to the
 * read's out-of-orderness ({@link ReadFromHub#MAX_OUT_OF_ORDER}, shorter than a window); it cannot
 * precede events of the window before. Late events beyond that bound are the limit of this
 * guarantee.
 *
 * <p>A commit the hub does not answer (a broker restart, a network outage) is counted as
 * {@code commitsDeferred} and left to the next written window: the files are there, only the
 * group lags, and a restart in the meantime rewrites those windows under the same names. Failing
 * the job instead would stop the DirectRunner and restart Flink's job for nothing.
 */
public final class CommitArchivedOffsets extends PTransform<PCollection<WindowWritten>, PDone> {
  static final String METADATA_PREFIX = "archiveWindowStart=";

  private final KafkaEndpoint input;
  private final String consumerGroup;
  private final long windowMillis;
  private final java.time.Duration commitTimeout;

  public CommitArchivedOffsets(KafkaEndpoint input, String consumerGroup, Duration window) {
    this(input, consumerGroup, window, HubAdmin.TIMEOUT);
  }

  private CommitArchivedOffsets(KafkaEndpoint input, String consumerGroup, Duration window, java.time.Duration commitTimeout) {
    this.input = input;
    this.consumerGroup = consumerGroup;
    this.windowMillis = window.getMillis();
    this.commitTimeout = commitTimeout;
  }

  /** How long a commit may wait for the hub before it is deferred (default {@link HubAdmin#TIMEOUT}). */
  public CommitArchivedOffsets withCommitTimeout(java.time.Duration timeout) {
    return new CommitArchivedOffsets(input, consumerGroup, Duration.millis(windowMillis), timeout);
  }

  /** Per partition, the start of the oldest window a restart must write again (from the group's commit). */
  public static Map<Integer, Long> keptWindowStarts(KafkaEndpoint input, String consumerGroup) {
    String topic = input.requireTopic("--inputTopic");
    Map<Integer, Long> kept = new HashMap<>();
    try (Consumer<byte[], byte[]> consumer = input.newConsumer(consumerGroup)) {
      Set<TopicPartition> partitions = new HashSet<>();
      consumer.partitionsFor(topic, HubAdmin.TIMEOUT).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.committed(partitions, HubAdmin.TIMEOUT).forEach((tp, committed) -> {
        if (committed != null && committed.metadata() != null && committed.metadata().startsWith(METADATA_PREFIX)) {
          kept.put(tp.partition(), Long.parseLong(committed.metadata().substring(METADATA_PREFIX.length())));
        }
      });
    } catch (RuntimeException e) {
      throw HubAdmin.HubException.of(input, "cannot read the committed offsets of group " + consumerGroup, e);
    }
    return kept;
  }

  @Override
  public PDone expand(PCollection<WindowWritten> written) {
    PCollection<KV<Integer, WindowWritten>> byPartition;
    try {
      byPartition = written
          .apply("AcrossWindows", Window.into(new GlobalWindows()))
          .apply("ByPartition", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptor.of(WindowWritten.class)))
              .via(w -> KV.of(w.partition, w)))
          .setCoder(KvCoder.of(VarIntCoder.of(), written.getPipeline().getSchemaRegistry().getSchemaCoder(WindowWritten.class)));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    byPartition.apply("Commit", ParDo.of(new CommitFn(input, consumerGroup, windowMillis, commitTimeout)));
    return PDone.in(written.getPipeline());
  }

  static final class CommitFn extends DoFn<KV<Integer, WindowWritten>, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(CommitArchivedOffsets.class);
    private final KafkaEndpoint input;
    private final String consumerGroup;
    private final long windowMillis;
    private final java.time.Duration commitTimeout;
    private final Counter commits = Metrics.counter(ReadFromHub.METRICS_NAMESPACE, "commits");
    private final Counter deferred = Metrics.counter(ReadFromHub.METRICS_NAMESPACE, "commitsDeferred");
    private transient Consumer<byte[], byte[]> consumer;

    /** Written windows not yet behind the commit: start -> {lowest offset, earliest enqueue time}. */
    @StateId("windows")
    private final StateSpec<ValueState<TreeMap<Long, long[]>>> windowsSpec =
        StateSpecs.value(SerializableCoder.of((Class<TreeMap<Long, long[]>>) (Class<?>) TreeMap.class));

    @StateId("committed")
    private final StateSpec<ValueState<Long>> committedSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("timerAt")
    private final StateSpec<ValueState<Long>> timerAtSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("written")
    private final TimerSpec writtenSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    CommitFn(KafkaEndpoint input, String consumerGroup, long windowMillis, java.time.Duration commitTimeout) {
      this.input = input;
      this.consumerGroup = consumerGroup;
      this.windowMillis = windowMillis;
      this.commitTimeout = commitTimeout;
    }

    @Setup
    public void setup() {
      consumer = input.newConsumer(consumerGroup);
    }

    @Teardown
    public void teardown() {
      if (consumer != null) {
        consumer.close();
      }
    }

    @ProcessElement
    public void process(@Element KV<Integer, WindowWritten> element, @Timestamp Instant timestamp,
        @StateId("windows") ValueState<TreeMap<Long, long[]>> windows, @StateId("timerAt") ValueState<Long> timerAt,
        @TimerId("written") Timer written) {
      WindowWritten w = element.getValue();
      TreeMap<Long, long[]> known = windows.read() == null ? new TreeMap<>() : windows.read();
      known.merge(w.windowStartMillis, new long[] {w.minOffset, w.minEnqueuedAtMillis},
          (a, b) -> new long[] {Math.min(a[0], b[0]), Math.min(a[1], b[1])});
      windows.write(known);
      // One timer per partition, at the newest written window's end: when the watermark passes it,
      // every window up to there has been written.
      long at = Math.max(timestamp.getMillis(), timerAt.read() == null ? Long.MIN_VALUE : timerAt.read());
      timerAt.write(at);
      written.set(new Instant(at));
    }

    @OnTimer("written")
    public void onWritten(OnTimerContext context, @Key Integer partition,
        @StateId("windows") ValueState<TreeMap<Long, long[]>> windows, @StateId("committed") ValueState<Long> committed) {
      TreeMap<Long, long[]> known = windows.read();
      long now = context.timestamp().getMillis();
      Map.Entry<Long, long[]> newest = known == null ? null : known.floorEntry(now + 1 - windowMillis);
      if (newest == null) {
        return;
      }
      long newestStart = newest.getKey();
      long[] before = known.get(newestStart - windowMillis);
      long offset;
      long keepFrom;
      if (before != null) {
        offset = Math.min(before[0], newest.getValue()[0]);
        keepFrom = newestStart - windowMillis;
      } else if (newest.getValue()[1] < newestStart + windowMillis - ReadFromHub.MAX_OUT_OF_ORDER.getMillis()) {
        // No events in the window before: the newest alone is safe if it has events older than the
        // out-of-orderness bound (later windows' events then all come after them).
        offset = newest.getValue()[0];
        keepFrom = newestStart;
      } else {
        return;
      }
      Long last = committed.read();
      if (last != null && offset <= last) {
        return;
      }
      TopicPartition tp = new TopicPartition(input.requireTopic("--inputTopic"), partition);
      try {
        consumer.commitSync(Map.of(tp, new OffsetAndMetadata(offset, METADATA_PREFIX + keepFrom)), commitTimeout);
      } catch (RetriableException e) {
        deferred.inc();
        LOG.warn("Offsets of {} not committed yet ({}); the next written window commits them", tp, e.getMessage());
        return;
      }
      committed.write(offset);
      commits.inc();
      known.headMap(keepFrom).clear();
      windows.write(known);
    }
  }
}
