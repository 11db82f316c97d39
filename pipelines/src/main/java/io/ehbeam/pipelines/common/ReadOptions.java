package io.ehbeam.pipelines.common;

import io.ehbeam.transforms.connect.HubOptions;
import io.ehbeam.transforms.io.ReadFromHub;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of the jobs that read a hub: the shared ones, and how they read on each runner. */
public interface ReadOptions extends HubOptions {
  @Description("How a --stopAtEnd run reads the offset ranges it planned: SPLITTABLE_DOFN (small bundles),"
      + " BOUNDED_SOURCES (one source per partition) or OFFSET_CHUNKS (chunks of 10,000 offsets read side by"
      + " side by a plain DoFn; offset order kept within a chunk only). Default: SPLITTABLE_DOFN on the"
      + " DirectRunner, which holds a bounded source's whole split, or every chunk, in memory; OFFSET_CHUNKS on"
      + " Flink, the fastest there; BOUNDED_SOURCES on Spark. Flink's and Spark's streaming modes would not end"
      + " a splittable read. A hub written in transactions (markers take offsets): OFFSET_CHUNKS only; the"
      + " others wait for the last planned offset, a marker that is never returned.")
  @Default.InstanceFactory(RunnerDefaults.PlannedReadByRunner.class)
  ReadFromHub.PlannedRead getPlannedRead();

  void setPlannedRead(ReadFromHub.PlannedRead value);
}
