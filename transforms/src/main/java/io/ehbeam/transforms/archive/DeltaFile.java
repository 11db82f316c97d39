package io.ehbeam.transforms.archive;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;

/** A data file of the archive's Delta table: written, in no version of the table until {@link CommitDeltaWindows} adds it. */
@DefaultSchema(JavaFieldSchema.class)
public final class DeltaFile implements Serializable {
  /** Relative to the table's root, under the folders of its partition values ({@code year=2023/month=01/...}). */
  public final String path;
  public final long bytes;
  public final long records;
  public final long modifiedAtMillis;
  /** The window (start, epoch milliseconds) and hub partition of its events, and their offsets' range. */
  public final long windowStartMillis;
  public final int partition;
  public final long minOffset;
  public final long maxOffset;

  @SchemaCreate
  public DeltaFile(String path, long bytes, long records, long modifiedAtMillis, long windowStartMillis, int partition,
      long minOffset, long maxOffset) {
    this.path = path;
    this.bytes = bytes;
    this.records = records;
    this.modifiedAtMillis = modifiedAtMillis;
    this.windowStartMillis = windowStartMillis;
    this.partition = partition;
    this.minOffset = minOffset;
    this.maxOffset = maxOffset;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeltaFile && path.equals(((DeltaFile) o).path) && bytes == ((DeltaFile) o).bytes
        && records == ((DeltaFile) o).records && modifiedAtMillis == ((DeltaFile) o).modifiedAtMillis
        && windowStartMillis == ((DeltaFile) o).windowStartMillis && partition == ((DeltaFile) o).partition
        && minOffset == ((DeltaFile) o).minOffset && maxOffset == ((DeltaFile) o).maxOffset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, bytes);
  }

  @Override
  public String toString() {
    return path + " (" + records + " records, offsets " + minOffset + ".." + maxOffset + ", " + bytes + " bytes)";
  }
}
