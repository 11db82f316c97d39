package io.ehbeam.transforms.archive;

import io.ehbeam.transforms.io.ReadFromHub;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;

/**
 * Adds each window's data files to the Delta table in one commit, then passes the window's groups
 * on (to {@link CommitArchivedOffsets}: the consumer group moves only over what a table version
 * holds). All partitions' files of a window go into one version, so a reader sees a window whole
 * or not at all.
 *
 * <p>Each commit carries the transaction identifier {@code <appId>/<window start>} at the pane's
 * index (0 for the window as the watermark closed it, then its late panes): a window the archive
 * writes again after a restart is committed once, its new files left out of the table. Without
 * {@code idempotent} (processing-time windows, whose panes a restart numbers again), commits carry
 * no identifier.
 *
 * <pre>
 *   ByWindow ─▶ GroupByKey ─▶ Commit
 * </pre>
 */
public final class CommitDeltaWindows extends PTransform<PCollection<WindowWritten>, PCollection<WindowWritten>> {
  private final DeltaTable table;
  private final String appId;
  private final boolean idempotent;

  /** {@code appId}: who writes, the same across restarts (the archive's consumer group and hub). */
  public CommitDeltaWindows(DeltaTable table, String appId, boolean idempotent) {
    this.table = table;
    this.appId = appId;
    this.idempotent = idempotent;
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
        .apply("Commit", ParDo.of(new CommitFn(table, appId, idempotent)))
        .setCoder(coder);
  }

  static final class CommitFn extends DoFn<KV<Long, Iterable<WindowWritten>>, WindowWritten> {
    private final DeltaTable table;
    private final String appId;
    private final boolean idempotent;
    private final Counter versions = Metrics.counter(ReadFromHub.METRICS_NAMESPACE, "deltaVersions");
    private final Counter alreadyCommitted = Metrics.counter(ReadFromHub.METRICS_NAMESPACE, "deltaWindowsAlreadyCommitted");

    CommitFn(DeltaTable table, String appId, boolean idempotent) {
      this.table = table;
      this.appId = appId;
      this.idempotent = idempotent;
    }

    @ProcessElement
    public void process(@Element KV<Long, Iterable<WindowWritten>> window, PaneInfo pane, OutputReceiver<WindowWritten> out) {
      List<WindowWritten> groups = new ArrayList<>();
      window.getValue().forEach(groups::add); // once: a runner may not iterate a group twice
      List<DeltaFile> files = new ArrayList<>();
      groups.forEach(w -> files.addAll(w.deltaFiles));
      if (!files.isEmpty()) {
        String id = appId + "/" + Instant.ofEpochMilli(window.getKey());
        boolean added = idempotent ? table.append(id, pane.getIndex(), files) : table.append(null, 0, files);
        if (added) {
          versions.inc();
        } else {
          alreadyCommitted.inc();
          table.delete(files); // the same events are in the table, in the files of the earlier commit
        }
      }
      groups.forEach(out::output);
    }
  }
}
