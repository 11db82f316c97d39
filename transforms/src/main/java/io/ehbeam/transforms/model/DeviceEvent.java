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
import java.util.Random;
import java.util.UUID;

/**
 * An IoT device reading, as seed 004's load client sends it (about 1 KB of JSON):
 *
 * <pre>{"eventId": "...", "complexData": {"moreData0": 57.73, ...}, "value": 49.02,
 *  "deviceId": "contoso://device-id-154", "deviceSequenceNumber": 0, "type": "CO2",
 *  "createdAt": "2019-05-16T17:16:40.000003Z"}</pre>
 *
 * The record key of a device event is its {@code deviceId}.
 */
@JsonPropertyOrder({"eventId", "complexData", "value", "deviceId", "deviceSequenceNumber", "type", "createdAt"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class DeviceEvent {
  public static final String[] TYPES = {"CO2", "TEMP"};
  /** Seed 004 pads events with moreData0..N so that one is about 1 KB. */
  public static final int COMPLEX_FIELDS = 23;

  @JsonProperty public String eventId;
  @JsonProperty public Map<String, Double> complexData;
  @JsonProperty public double value;
  @JsonProperty public String deviceId;
  @JsonProperty public long deviceSequenceNumber;
  @JsonProperty public String type;
  @JsonProperty public String createdAt;

  public byte[] toJson() {
    try {
      return Json.MAPPER.writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes device events deterministically from a seed: the same seed, the same events. */
  public static final class Generator {
    private final Random random;
    private final int devices;
    private final long[] sequence;

    public Generator(long seed, int devices) {
      this.random = new Random(seed);
      this.devices = devices;
      this.sequence = new long[devices];
    }

    public DeviceEvent next(Instant createdAt) {
      int device = random.nextInt(devices);
      DeviceEvent e = new DeviceEvent();
      e.eventId = new UUID(random.nextLong(), random.nextLong()).toString();
      e.complexData = new LinkedHashMap<>();
      for (int i = 0; i < COMPLEX_FIELDS; i++) {
        e.complexData.put("moreData" + i, 40 + random.nextDouble() * 50);
      }
      e.value = 40 + random.nextDouble() * 20;
      e.deviceId = "contoso://device-id-" + device;
      e.deviceSequenceNumber = sequence[device]++;
      e.type = TYPES[device % TYPES.length];
      e.createdAt = createdAt.toString();
      return e;
    }
  }
}
