package io.ehbeam.transforms.archive;

import java.io.Serializable;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;

/** What the archive wrote of one window, partition and folder: what committing offsets needs. */
@DefaultSchema(JavaFieldSchema.class)
public final class WindowWritten implements Serializable {
  public final int partition;
  public final long windowStartMillis;
  public final long minOffset;
  public final long minEnqueuedAtMillis;
  public final long events;
  public final int files;
  /** The Delta table's new data files ({@code --format=delta}), else none. */
  public final java.util.List<DeltaFile> deltaFiles;

  public WindowWritten(int partition, long windowStartMillis, long minOffset, long minEnqueuedAtMillis, long events, int files) {
    this(partition, windowStartMillis, minOffset, minEnqueuedAtMillis, events, files, java.util.List.of());
  }

  @SchemaCreate
  public WindowWritten(int partition, long windowStartMillis, long minOffset, long minEnqueuedAtMillis, long events, int files,
      java.util.List<DeltaFile> deltaFiles) {
    this.partition = partition;
    this.windowStartMillis = windowStartMillis;
    this.minOffset = minOffset;
    this.minEnqueuedAtMillis = minEnqueuedAtMillis;
    this.events = events;
    this.files = files;
    this.deltaFiles = java.util.List.copyOf(deltaFiles);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof WindowWritten)) {
      return false;
    }
    WindowWritten w = (WindowWritten) o;
    return partition == w.partition && windowStartMillis == w.windowStartMillis && minOffset == w.minOffset
        && minEnqueuedAtMillis == w.minEnqueuedAtMillis && events == w.events && files == w.files
        && deltaFiles.equals(w.deltaFiles);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(partition, windowStartMillis, minOffset);
  }

  @Override
  public String toString() {
    return "WindowWritten{partition=" + partition + ", windowStart=" + windowStartMillis + ", minOffset=" + minOffset
        + ", events=" + events + ", files=" + files + "}";
  }
}
