package io.ehbeam.transforms.monitor;

import io.ehbeam.transforms.deadletter.DeadLetter;
import java.io.Serializable;

/**
 * What the monitor needs of a device event: its id, type ({@code TEMP} or {@code CO2}), value and
 * event time ({@code createdAt}), and where it came from, to dead-letter it if it arrives too late.
 */
public record DeviceReading(String eventId, String deviceId, String type, double value, long createdAtMillis,
    Origin origin) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The record a reading was read from. */
  public record Origin(String topic, int partition, long offset, long timestampMillis, byte[] key, byte[] value)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  DeadLetter deadLetter(String step, String reason) {
    return new DeadLetter(origin.key(), origin.value(), reason, step, origin.topic(), origin.partition(),
        origin.offset(), origin.timestampMillis());
  }
}
