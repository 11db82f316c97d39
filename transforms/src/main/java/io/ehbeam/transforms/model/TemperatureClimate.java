package io.ehbeam.transforms.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ehbeam.transforms.json.Json;
import io.ehbeam.transforms.model.Location;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Random;

/**
 * Plausible hourly temperatures for a city, made up because nothing can be downloaded here: an
 * annual cycle (warmest near the climate's peak day), a daily cycle (warmest mid-afternoon local
 * solar time) and a persistent weather anomaly, seeded per city so the same year comes out the same
 * every time. The result has the shape of an Open-Meteo archive response, grid-snapped coordinates
 * and missing hours (nulls) included, so it exercises the same code paths as a real download.
 */
final class TemperatureClimate {
  /** Open-Meteo answers with the centre of its grid cell; this grid is 0.25°. */
  static final double GRID_DEGREES = 0.25;
  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

  /** mean °C, annual amplitude, warmest day of year, daily amplitude. */
  private static final Map<String, double[]> CLIMATES = Map.of(
      "Bangalore", new double[] {24.0, 2.5, 105, 5.5},
      "Spring", new double[] {20.8, 8.5, 200, 5.5},
      "Rome", new double[] {15.8, 8.3, 205, 5.0},
      "Anchorage", new double[] {2.8, 11.0, 200, 3.0},
      "Paris", new double[] {12.6, 7.6, 200, 4.0},
      "London", new double[] {11.6, 6.6, 200, 3.5});

  private final Location location;
  private final int cityIndex;
  private final double[] climate;
  private final long seed;

  public TemperatureClimate(Location location, int cityIndex, long seed) {
    this.location = location;
    this.cityIndex = cityIndex;
    double lat = Math.abs(location.latitude);
    this.climate = CLIMATES.getOrDefault(location.city,
        new double[] {25 - 0.35 * lat, 0.15 * lat, location.latitude >= 0 ? 200 : 20, 4.0});
    this.seed = seed;
  }

  public static double snap(double degrees) {
    return Math.round(degrees / GRID_DEGREES) * GRID_DEGREES;
  }

  /**
   * Hours with no value, as Open-Meteo leaves hours it has not got: one in every thousand, placed
   * per city (hour 100 + city index of each thousand).
   */
  public boolean isMissing(int hour) {
    return hour % 1000 == 100 + cityIndex;
  }

  /** An Open-Meteo archive response (timezone GMT) for {@code hours} hours from {@code start}. */
  public ObjectNode openMeteoDocument(LocalDateTime start, int hours) {
    ObjectNode doc = Json.MAPPER.createObjectNode();
    doc.put("latitude", snap(location.latitude));
    doc.put("longitude", snap(location.longitude));
    doc.put("generationtime_ms", 0.0);
    doc.put("utc_offset_seconds", 0);
    doc.put("timezone", "GMT");
    doc.put("timezone_abbreviation", "GMT");
    doc.put("elevation", location.elevation);
    ObjectNode units = doc.putObject("hourly_units");
    units.put("time", "iso8601");
    units.put("temperature_2m", "\u00b0C");
    ObjectNode hourly = doc.putObject("hourly");
    ArrayNode times = hourly.putArray("time");
    ArrayNode temperatures = hourly.putArray("temperature_2m");
    Random random = new Random(seed * 31 + location.city.hashCode());
    double anomaly = 0;
    int dayOfYearStart = start.getDayOfYear() - 1;
    for (int h = 0; h < hours; h++) {
      LocalDateTime time = start.plusHours(h);
      anomaly = 0.97 * anomaly + random.nextGaussian() * 0.6;
      times.add(TIME.format(time));
      if (isMissing(h)) {
        temperatures.addNull();
        continue;
      }
      double dayOfYear = dayOfYearStart + h / 24.0;
      double annual = climate[0] + climate[1] * Math.cos(2 * Math.PI * (dayOfYear - climate[2]) / 365.25);
      double solarHour = ((time.getHour() + location.longitude / 15.0) % 24 + 24) % 24;
      double daily = climate[3] * Math.cos(2 * Math.PI * (solarHour - 15) / 24);
      temperatures.add(Math.round((annual + daily + anomaly) * 10) / 10.0);
    }
    return doc;
  }
}
