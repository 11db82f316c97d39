package io.ehbeam.transforms.archive;

import io.ehbeam.transforms.io.ReadFromHub;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds each window's data files to the Delta table in one commit, then passes the window's groups
 * on (to {@link CommitArchivedOffsets}: the consumer group moves only over what a table version
 * holds). All partitions' files of a window go into one version, so a reader sees a window whole
 * or not at all.
 *
 * <p>Each version also records up to which offset of each window and hub partition the table holds
 * the writer's events ({@link DeltaTable#committedOffsets}); files of events the table holds
 * already (a window written again after a runner restored a checkpoint) are left out. After a
 * restart, {@link ToArchivedEvents#skippingEventsInTable} keeps such events from being written again.
 *
 * <p>One committer per table: the log is written by create-then-rename, which two writers at
 * once can both "win" (one version overwriting the other). So every window's group goes to one key,
 * whose state makes the runner commit them one after another, on every runner and however many
 * workers wrote the files.
 *
 * <pre>
 *   ByWindow ─▶ GroupByKey ─▶ OneCommitter ─▶ Commit
 * </pre>
 */
public final class CommitDeltaWindows extends PTransform<PCollection<WindowWritten>, PCollection<WindowWritten>> {
  private final DeltaTable table;
  private final String writer;
  private final long horizonMillis;

  /**
   * {@code writer}: who writes, the same across restarts (the archive's consumer group and hub);
   * {@code horizon}: how long the offsets of a window are kept after a newer one (its late panes
   * and a restart's replay come within it).
   */
  public CommitDeltaWindows(DeltaTable table, String writer, Duration horizon) {
    this.table = table;
    this.writer = writer;
    this.horizonMillis = horizon.getMillis();
  }

  @Override
  public PCollection<WindowWritten> expand(PCollection<WindowWritten> written) {
    Coder<WindowWritten> coder;
    try {
      coder = written.getPipeline().getSchemaRegistry().getSchemaCoder(WindowWritten.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    return written
        .apply("ByWindow", WithKeys.of((WindowWritten w) -> w.windowStartMillis).withKeyType(TypeDescriptors.longs()))
        .setCoder(KvCoder.of(VarLongCoder.of(), coder))
        .apply("GroupByKey", GroupByKey.create())
        .apply("OneCommitter", Window.<KV<Long, Iterable<WindowWritten>>>into(new GlobalWindows()))
        .apply("ToTheTable", WithKeys.<Integer, KV<Long, Iterable<WindowWritten>>>of(0).withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(VarLongCoder.of(), IterableCoder.of(coder))))
        .apply("Commit", ParDo.of(new CommitFn(table, writer, horizonMillis)))
        .setCoder(coder);
  }

  static final class CommitFn extends DoFn<KV<Integer, KV<Long, Iterable<WindowWritten>>>, WindowWritten> {
    private static final Logger LOG = LoggerFactory.getLogger(CommitDeltaWindows.class);
    private final DeltaTable table;
    private final String writer;
    private final long horizonMillis;
    private final Counter versions = Metrics.counter(ReadFromHub.METRICS_NAMESPACE, "deltaVersions");
    private final Counter alreadyInTable = Metrics.counter(ReadFromHub.METRICS_NAMESPACE, "deltaFilesAlreadyInTable");
    private final Counter overlapping = Metrics.counter(ReadFromHub.METRICS_NAMESPACE, "deltaFilesOverlapping");

    /** The table version this job committed last; being state, it also serializes the commits. */
    @StateId("lastVersion")
    private final StateSpec<ValueState<Long>> lastVersionSpec = StateSpecs.value(VarLongCoder.of());

    CommitFn(DeltaTable table, String writer, long horizonMillis) {
      this.table = table;
      this.writer = writer;
      this.horizonMillis = horizonMillis;
    }

    @ProcessElement
    public void process(@Element KV<Integer, KV<Long, Iterable<WindowWritten>>> element,
        @StateId("lastVersion") ValueState<Long> lastVersion, OutputReceiver<WindowWritten> out) {
      KV<Long, Iterable<WindowWritten>> window = element.getValue();
      List<WindowWritten> groups = new ArrayList<>();
      window.getValue().forEach(groups::add); // once: a runner may not iterate a group twice
      List<DeltaFile> files = new ArrayList<>();
      groups.forEach(w -> files.addAll(w.deltaFiles));
      if (!files.isEmpty()) {
        DeltaTable.Appended appended = table.append(writer, files, horizonMillis);
        if (appended.added() > 0) {
          versions.inc();
          lastVersion.write(appended.version());
        }
        alreadyInTable.inc(appended.alreadyInTable());
        if (appended.overlapping() > 0) {
          overlapping.inc(appended.overlapping());
          LOG.warn("Delta table {}: {} files of window {} hold events the table held already (added: duplicates)", table,
              appended.overlapping(), Instant.ofEpochMilli(window.getKey()));
        }
      }
      groups.forEach(out::output);
    }
  }
}
