package io.ehbeam.transforms.archive;

import io.ehbeam.transforms.options.Choice;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Where a file goes and what it is called. Names are deterministic: the window's start, the
 * partition and the file's first offset, so that writing the same window again (a replay after a
 * restart) replaces a file instead of adding a second copy.
 *
 * <ul>
 *   <li>{@code hive}: {@code year=2023/month=01/day=05/hour=13/part-20230105T130000-p1-o000000004512.parquet},
 *       the folders from the event time (the temperature experiment's partitioning);
 *   <li>{@code capture}: {@code <namespace>/<hub>/<partition>/2023/01/05/13/00/00-o000000004512.avro}, Event Hubs
 *       Capture's path order, from the window's start (enqueue time).
 * </ul>
 */
public final class ArchiveLayout implements Serializable {
  private final boolean hive;
  private final String namespace;
  private final String hub;

  private ArchiveLayout(boolean hive, String namespace, String hub) {
    this.hive = hive;
    this.namespace = namespace;
    this.hub = hub;
  }

  /** The folder layouts ({@code --layout}). */
  public enum Kind implements Choice.Word {
    HIVE,
    CAPTURE;

    @Override
    public String toString() {
      return Choice.spelled(this);
    }
  }

  /** A layout; {@code capture} names folders after the namespace and hub. */
  public static ArchiveLayout of(Kind kind, String namespace, String hub) {
    return new ArchiveLayout(kind == Kind.HIVE, namespace, hub);
  }

  /** The folder (relative, ending in '/') of an event in the window starting at {@code windowStartMillis}. */
  public String folder(ArchivedEvent event, long windowStartMillis) {
    if (hive) {
      ZonedDateTime t = utc(event.eventTimeMillis);
      return String.format("year=%04d/month=%02d/day=%02d/hour=%02d/", t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour());
    }
    ZonedDateTime w = utc(windowStartMillis);
    return String.format("%s/%s/%d/%04d/%02d/%02d/%02d/%02d/", namespace, hub, event.partition,
        w.getYear(), w.getMonthValue(), w.getDayOfMonth(), w.getHour(), w.getMinute());
  }

  /** The file name (without folder) for a file starting at {@code firstOffset}. */
  public String fileName(long windowStartMillis, int partition, long firstOffset, String extension) {
    ZonedDateTime w = utc(windowStartMillis);
    if (hive) {
      return String.format("part-%04d%02d%02dT%02d%02d%02d-p%d-o%012d.%s", w.getYear(), w.getMonthValue(),
          w.getDayOfMonth(), w.getHour(), w.getMinute(), w.getSecond(), partition, firstOffset, extension);
    }
    return String.format("%02d-o%012d.%s", w.getSecond(), firstOffset, extension);
  }

  private static ZonedDateTime utc(long millis) {
    return Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC);
  }
}
