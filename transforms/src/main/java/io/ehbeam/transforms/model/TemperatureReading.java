package io.ehbeam.transforms.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.ehbeam.transforms.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * One hourly temperature reading, the event of the temperature experiment: {@code latitude}, {@code longitude},
 * {@code time} (local time of the reading's source, e.g. {@code 2023-01-01T00:00}) and {@code
 * temperature_2m} (°C); once joined with the location master also {@code city} and {@code
 * elevation}. Schema: {@code datafiles/schemas/temperature-reading.schema.json}.
 */
@JsonPropertyOrder({"latitude", "longitude", "time", "temperature_2m", "city", "elevation"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class TemperatureReading implements Serializable {
  private static final long serialVersionUID = 1L;

  @JsonProperty public double latitude;
  @JsonProperty public double longitude;
  @JsonProperty public String time;

  @JsonProperty("temperature_2m")
  public double temperature2m;

  @JsonProperty public String city;
  @JsonProperty public Double elevation;

  /** Offset of {@link #time} from UTC (Open-Meteo's {@code utc_offset_seconds}; 0 for GMT). */
  @JsonIgnore public int utcOffsetSeconds;

  /**
   * Every field, written out: Java serialization of each reading was most of the DirectRunner's
   * time with its immutability checks on (JFR), as it was of Flink's shuffles.
   */
  public static final Coder<TemperatureReading> CODER = new CustomCoder<>() {
    private final Coder<String> text = NullableCoder.of(StringUtf8Coder.of());
    private final Coder<Double> nullableDouble = NullableCoder.of(DoubleCoder.of());

    @Override
    public void encode(TemperatureReading r, OutputStream out) throws IOException {
      DoubleCoder.of().encode(r.latitude, out);
      DoubleCoder.of().encode(r.longitude, out);
      text.encode(r.time, out);
      DoubleCoder.of().encode(r.temperature2m, out);
      text.encode(r.city, out);
      nullableDouble.encode(r.elevation, out);
      VarIntCoder.of().encode(r.utcOffsetSeconds, out);
    }

    @Override
    public TemperatureReading decode(InputStream in) throws IOException {
      TemperatureReading r = new TemperatureReading(DoubleCoder.of().decode(in), DoubleCoder.of().decode(in), text.decode(in),
          DoubleCoder.of().decode(in), 0);
      r.city = text.decode(in);
      r.elevation = nullableDouble.decode(in);
      r.utcOffsetSeconds = VarIntCoder.of().decode(in);
      return r;
    }
  };

  public TemperatureReading() {}

  public TemperatureReading(double latitude, double longitude, String time, double temperature2m, int utcOffsetSeconds) {
    this.latitude = latitude;
    this.longitude = longitude;
    this.time = time;
    this.temperature2m = temperature2m;
    this.utcOffsetSeconds = utcOffsetSeconds;
  }

  /** The reading's instant, in epoch milliseconds: the Kafka record timestamp of its event. */
  @JsonIgnore
  public long epochMillis() {
    return LocalDateTime.parse(time).toInstant(ZoneOffset.ofTotalSeconds(utcOffsetSeconds)).toEpochMilli();
  }

  /** This reading joined with a location: the city and its elevation added. */
  public TemperatureReading at(Location location) {
    TemperatureReading r = new TemperatureReading(latitude, longitude, time, temperature2m, utcOffsetSeconds);
    r.city = location.city;
    r.elevation = location.elevation;
    return r;
  }

  public byte[] toJson() {
    try {
      return Json.MAPPER.writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TemperatureReading)) {
      return false;
    }
    TemperatureReading r = (TemperatureReading) o;
    return latitude == r.latitude && longitude == r.longitude && Objects.equals(time, r.time)
        && temperature2m == r.temperature2m && Objects.equals(city, r.city)
        && Objects.equals(elevation, r.elevation) && utcOffsetSeconds == r.utcOffsetSeconds;
  }

  @Override
  public int hashCode() {
    return Objects.hash(latitude, longitude, time, temperature2m, city);
  }

  @Override
  public String toString() {
    return new String(toJson(), java.nio.charset.StandardCharsets.UTF_8);
  }
}
