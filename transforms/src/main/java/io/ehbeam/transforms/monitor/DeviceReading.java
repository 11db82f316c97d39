package io.ehbeam.transforms.monitor;

import io.ehbeam.transforms.deadletter.DeadLetter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;

/**
 * What the monitor needs of a device event: its id, type ({@code TEMP} or {@code CO2}), value and
 * event time ({@code createdAt}), and where it came from, to dead-letter it if it arrives too late.
 */
public record DeviceReading(String eventId, String deviceId, String type, double value, long createdAtMillis,
    Origin origin) implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Field by field, for the shuffle to each device's state (Java serialization took a fifth of the
   * aggregate's CPU, which shuffles the same way). The state itself keeps its Java-serialized form,
   * so that savepoints taken before stay readable.
   */
  public static final Coder<DeviceReading> CODER = new CustomCoder<>() {
    private final Coder<String> text = NullableCoder.of(StringUtf8Coder.of());
    private final Coder<byte[]> bytes = NullableCoder.of(ByteArrayCoder.of());

    @Override
    public void encode(DeviceReading r, OutputStream out) throws IOException {
      text.encode(r.eventId(), out);
      text.encode(r.deviceId(), out);
      text.encode(r.type(), out);
      DoubleCoder.of().encode(r.value(), out);
      VarInt.encode(r.createdAtMillis(), out);
      Origin o = r.origin();
      text.encode(o.topic(), out);
      VarInt.encode(o.partition(), out);
      VarInt.encode(o.offset(), out);
      VarInt.encode(o.timestampMillis(), out);
      bytes.encode(o.key(), out);
      bytes.encode(o.value(), out);
    }

    @Override
    public DeviceReading decode(InputStream in) throws IOException {
      String eventId = text.decode(in);
      String deviceId = text.decode(in);
      String type = text.decode(in);
      double value = DoubleCoder.of().decode(in);
      long createdAt = VarInt.decodeLong(in);
      Origin origin = new Origin(text.decode(in), VarInt.decodeInt(in), VarInt.decodeLong(in), VarInt.decodeLong(in),
          bytes.decode(in), bytes.decode(in));
      return new DeviceReading(eventId, deviceId, type, value, createdAt, origin);
    }
  };

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
