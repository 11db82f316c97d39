package io.ehbeam.transforms.archive;

import io.ehbeam.transforms.options.Choice;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Where a file goes and what it is called. Names are deterministic, made from the events in the
 * file, so that writing the same window again (a replay after a restart) replaces a file instead
 * of adding a second copy.
 *
 * <ul>
 *   <li>{@code hive}: {@code year=2023/month=01/day=05/hour=13/part-20230105T130000-p1-o000000004512.parquet},
 *       the folders from the event time (the temperature experiment's partitioning), the name from the
 *       window's start, the partition and the file's first offset;
 *   <li>{@code capture}: {@code <namespace>/<hub>/<partition>/2023/01/05/13/04/07.avro}, Event Hubs
 *       Capture's {@code {Namespace}/{EventHub}/{PartitionId}/{Year}/{Month}/{Day}/{Hour}/{Minute}/{Second}},
 *       from the time the file starts: its first event's enqueue time, to the second, and at least a
 *       second after the previous file of the same window (two files never share a name). Files of a
 *       late pane (events that came after their window was written) add {@code -late<n>}.
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

  /**
   * What the files of one window and partition share (relative, ending in '/'): hive's folder of
   * the event time, or Capture's {@code <namespace>/<hub>/<partition>/}.
   */
  public String folder(ArchivedEvent event, long windowStartMillis) {
    // Per event (the files' grouping key): no String.format, no zone rules.
    if (hive) {
      java.time.LocalDateTime t = event.eventTimeUtc();
      return "year=" + padded(t.getYear(), 4) + "/month=" + padded(t.getMonthValue(), 2) + "/day="
          + padded(t.getDayOfMonth(), 2) + "/hour=" + padded(t.getHour(), 2) + "/";
    }
    return namespace + "/" + hub + "/" + event.partition + "/";
  }

  /**
   * The time a file starts, for its name: its first event's enqueue time to the second, and at
   * least a second after the previous file of its window ({@code previousFileTime}, or -1).
   */
  public static long fileTime(ArchivedEvent first, long previousFileTime) {
    long second = first.enqueuedAtMillis - Math.floorMod(first.enqueuedAtMillis, 1000L);
    return previousFileTime < 0 ? second : Math.max(second, previousFileTime + 1000);
  }

  /**
   * The path of a file under {@code folder} (from {@link #folder}) starting with {@code first},
   * at {@code fileTime} (from {@link #fileTime}); {@code latePane} is 0 for a window's first
   * pane and counts its late ones.
   */
  public String path(String folder, long windowStartMillis, int partition, ArchivedEvent first, long fileTime,
      long latePane, String extension) {
    if (hive) {
      ZonedDateTime w = utc(windowStartMillis);
      return folder + String.format("part-%04d%02d%02dT%02d%02d%02d-p%d-o%012d.%s", w.getYear(), w.getMonthValue(),
          w.getDayOfMonth(), w.getHour(), w.getMinute(), w.getSecond(), partition, first.offset, extension);
    }
    ZonedDateTime t = utc(fileTime);
    return folder + String.format("%04d/%02d/%02d/%02d/%02d/%02d%s.%s", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
        t.getHour(), t.getMinute(), t.getSecond(), latePane == 0 ? "" : "-late" + latePane, extension);
  }

  /** As %0<width>d formats it. */
  private static String padded(int value, int width) {
    String digits = Integer.toString(value);
    return digits.length() >= width || value < 0 ? String.format("%0" + width + "d", value) : "0".repeat(width - digits.length()) + digits;
  }

  private static ZonedDateTime utc(long millis) {
    return Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC);
  }
}
