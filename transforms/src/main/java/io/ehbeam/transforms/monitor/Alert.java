package io.ehbeam.transforms.monitor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ehbeam.transforms.json.Json;
import io.ehbeam.transforms.relay.EventStamper;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * One finding about a device: which rule ({@link Kind}), the event that triggered it and that
 * event's time, and when the monitor found it (processing time).
 */
public record Alert(String deviceId, Kind kind, String eventId, long createdAtMillis, long detectedAtMillis)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The rules, as alerts name them. */
  public enum Kind {
    FIRST_EVENT("first-event"),
    SEVERAL_TEMPERATURES_IN_70S("several-temperatures-in-70s"),
    HIGH_CO2_WITH_TEMPERATURES_IN_70S("high-co2-with-temperatures-in-70s"),
    NO_NEWS("no-news");

    public final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** {@code {"deviceId":..,"alert":..,"eventId":..,"createdAt":..,"detectedAt":..}}. */
  public byte[] toJson() {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("deviceId", deviceId);
    json.put("alert", kind.label);
    json.put("eventId", eventId);
    json.put("createdAt", EventStamper.format(createdAtMillis));
    json.put("detectedAt", EventStamper.format(detectedAtMillis));
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }
}
