package io.ehbeam.pipelines.common;

import io.ehbeam.transforms.connect.HubOptions;
import io.ehbeam.transforms.io.ReadFromHub;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of the jobs that read a hub: the shared ones, and how they read on each runner. */
public interface ReadOptions extends HubOptions {
  @Description("How a --stopAtEnd run reads the offset ranges it planned: SPLITTABLE_DOFN (small bundles)"
      + " or BOUNDED_SOURCES (one source per partition). Default: SPLITTABLE_DOFN on the DirectRunner,"
      + " which holds a bounded source's whole split in memory; BOUNDED_SOURCES on Flink and Spark,"
      + " whose streaming modes would not end a splittable read.")
  @Default.InstanceFactory(RunnerDefaults.PlannedReadByRunner.class)
  ReadFromHub.PlannedRead getPlannedRead();

  void setPlannedRead(ReadFromHub.PlannedRead value);
}
