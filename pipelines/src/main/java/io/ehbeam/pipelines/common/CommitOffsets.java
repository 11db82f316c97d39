package io.ehbeam.pipelines.common;

/**
 * When a streaming job moves its consumer group ({@code --commitOffsets}), which decides what a
 * job killed and started again from its group reads twice or, if the commit came too early, never.
 */
public enum CommitOffsets {
  /** Once what was read is written (files, or the output hub's acknowledgement): a restart reads again only what was not. */
  AFTER_WRITTEN,
  /** When the runner finalizes a checkpoint: right where the runner finalizes only after the writes (Flink, the DirectRunner). */
  WHEN_CHECKPOINTED
}
