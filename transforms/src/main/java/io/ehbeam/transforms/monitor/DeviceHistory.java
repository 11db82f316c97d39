package io.ehbeam.transforms.monitor;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A device's state between events, bounded: its last {@code historySize} events (id, type, value,
 * time), whether each pattern holds now, and whether the silence after its last event was reported.
 * Events must be given in event-time order ({@link #accept}); the monitor sorts them first.
 */
final class DeviceHistory implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The part of an event the rules look back on. */
  record Seen(String eventId, String type, double value, long createdAtMillis) implements Serializable {
    private static final long serialVersionUID = 1L;

    boolean isTemperatureIn70s() {
      return type.equals("TEMP") && value >= 70 && value < 80;
    }

    boolean isHighCo2() {
      return type.equals("CO2") && value > 80;
    }
  }

  private final ArrayDeque<Seen> recent = new ArrayDeque<>();
  private boolean severalIn70s;
  private boolean highCo2With70s;
  private boolean silenceReported;
  /** Event time up to which this device's events have been checked; later arrivals are too late. */
  private long checkedUpTo = Long.MIN_VALUE;

  long checkedUpTo() {
    return checkedUpTo;
  }

  /** The findings of the next event in event-time order, as (kind, event) pairs. */
  List<Finding> accept(DeviceReading r, int historySize, long silenceMillis) {
    List<Finding> found = new ArrayList<>();
    Seen last = recent.peekLast();
    if (last == null) {
      found.add(new Finding(Alert.Kind.FIRST_EVENT, r.eventId(), r.createdAtMillis()));
    } else if (!silenceReported && r.createdAtMillis() - last.createdAtMillis() >= silenceMillis) {
      found.add(new Finding(Alert.Kind.NO_NEWS, last.eventId(), last.createdAtMillis()));
    }
    silenceReported = false;
    recent.addLast(new Seen(r.eventId(), r.type(), r.value(), r.createdAtMillis()));
    while (recent.size() > historySize) {
      recent.removeFirst();
    }
    long in70s = recent.stream().filter(Seen::isTemperatureIn70s).count();
    boolean several = in70s >= 2;
    boolean withCo2 = several && recent.stream().anyMatch(Seen::isHighCo2);
    if (several && !severalIn70s) {
      found.add(new Finding(Alert.Kind.SEVERAL_TEMPERATURES_IN_70S, r.eventId(), r.createdAtMillis()));
    }
    if (withCo2 && !highCo2With70s) {
      found.add(new Finding(Alert.Kind.HIGH_CO2_WITH_TEMPERATURES_IN_70S, r.eventId(), r.createdAtMillis()));
    }
    severalIn70s = several;
    highCo2With70s = withCo2;
    return found;
  }

  /**
   * Event time has reached {@code upTo}: a silence of {@code silenceMillis} after the last event is
   * reported once, when it is complete.
   */
  List<Finding> reachedTime(long upTo, long silenceMillis) {
    checkedUpTo = Math.max(checkedUpTo, upTo);
    Seen last = recent.peekLast();
    if (last == null || silenceReported || upTo - last.createdAtMillis() < silenceMillis) {
      return List.of();
    }
    silenceReported = true;
    return List.of(new Finding(Alert.Kind.NO_NEWS, last.eventId(), last.createdAtMillis()));
  }

  /** When the silence after the last event is complete, unless already reported (MAX_VALUE: never). */
  long silenceEndsAt(long silenceMillis) {
    Seen last = recent.peekLast();
    return last == null || silenceReported ? Long.MAX_VALUE : last.createdAtMillis() + silenceMillis;
  }

  /** A rule's finding before it becomes an alert: which rule, and the event it is about. */
  record Finding(Alert.Kind kind, String eventId, long createdAtMillis) {}
}
