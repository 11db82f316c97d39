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

  @SchemaCreate
  public DeltaFile(String path, long bytes, long records, long modifiedAtMillis) {
    this.path = path;
    this.bytes = bytes;
    this.records = records;
    this.modifiedAtMillis = modifiedAtMillis;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeltaFile && path.equals(((DeltaFile) o).path) && bytes == ((DeltaFile) o).bytes
        && records == ((DeltaFile) o).records && modifiedAtMillis == ((DeltaFile) o).modifiedAtMillis;
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, bytes);
  }

  @Override
  public String toString() {
    return path + " (" + records + " records, " + bytes + " bytes)";
  }
}
