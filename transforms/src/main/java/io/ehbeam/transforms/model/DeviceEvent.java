package io.ehbeam.transforms.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.ehbeam.transforms.json.Json;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * An IoT device reading, as the streaming-at-scale sample's load client sends it (about 1 KB of JSON):
 *
 * <pre>{"eventId": "...", "type": "CO2", "deviceId": "contoso-device-id-154",
 *  "createdAt": "2019-05-16T17:16:40.000Z", "value": 49.02, "deviceSequenceNumber": 0,
 *  "complexData": {"moreData0": 57.73, ..., "moreData22": 44.44}}</pre>
 *
 * The record key of a device event is its {@code deviceId}. Schema: {@code
 * datafiles/schemas/device-event.schema.json}.
 */
@JsonPropertyOrder({"eventId", "type", "deviceId", "createdAt", "value", "deviceSequenceNumber", "complexData"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class DeviceEvent {
  public static final String[] TYPES = {"TEMP", "CO2"};
  /** The streaming-at-scale sample pads events with moreData0..moreData22 so that one is about 1 KB. */
  public static final int COMPLEX_FIELDS = 23;
  public static final String DEFAULT_DEVICE_PREFIX = "contoso-device-id-";

  @JsonProperty public String eventId;
  @JsonProperty public String type;
  @JsonProperty public String deviceId;
  @JsonProperty public String createdAt;
  @JsonProperty public double value;
  @JsonProperty public long deviceSequenceNumber;
  @JsonProperty public Map<String, Double> complexData;

  public byte[] toJson() {
    try {
      return Json.MAPPER.writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code sequence}-th event of a simulation run, made from ({@code runId}, {@code sequence})
   * alone: any worker can make any event, and the same inputs give the same event (its eventId
   * included). Device {@code sequence % devices} sends it, as its {@code sequence / devices}-th.
   */
  public static DeviceEvent of(long runId, long sequence, int devices, String devicePrefix, Instant createdAt) {
    SplittableRandom random = new SplittableRandom(runId * 0x9E3779B97F4A7C15L + sequence);
    int device = (int) (sequence % devices);
    DeviceEvent e = new DeviceEvent();
    e.eventId = new UUID(random.nextLong(), random.nextLong()).toString();
    e.type = TYPES[device % TYPES.length];
    e.deviceId = devicePrefix + device;
    e.createdAt = createdAt.toString();
    e.value = Math.round((40 + random.nextDouble() * 20) * 1e6) / 1e6;
    e.deviceSequenceNumber = sequence / devices;
    e.complexData = new LinkedHashMap<>();
    for (int i = 0; i < COMPLEX_FIELDS; i++) {
      e.complexData.put("moreData" + i, 40 + random.nextDouble() * 50);
    }
    return e;
  }
}
