package io.ehbeam.transforms.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ehbeam.transforms.json.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;

/**
 * Hourly temperatures for every city of a location master, made up by {@link TemperatureClimate},
 * in both forms the temperature replay reads: {@code open-meteo/<city>.json} (the archive API's
 * response) and {@code flat/temperatures.jsonl} (one reading per line; an hour without a value has
 * no {@code temperature_2m}, as Spark writes nulls). The {@code generate-temperatures} tool and the
 * tests' year of data both come from here.
 */
public final class SyntheticTemperatures {
  private SyntheticTemperatures() {}

  /** Writes both forms; returns the number of hours written per form (nulls included). */
  public static int write(LocationMaster master, int year, int days, long seed, Path output) throws IOException {
    Path raw = Files.createDirectories(output.resolve("open-meteo"));
    Path flat = Files.createDirectories(output.resolve("flat"));
    List<Location> locations = master.locations();
    LocalDateTime start = LocalDateTime.of(year, 1, 1, 0, 0);
    int hours = days * 24;
    try (BufferedWriter lines = Files.newBufferedWriter(flat.resolve("temperatures.jsonl"), StandardCharsets.UTF_8)) {
      for (int i = 0; i < locations.size(); i++) {
        Location location = locations.get(i);
        ObjectNode doc = new TemperatureClimate(location, i, seed).openMeteoDocument(start, hours);
        Files.writeString(raw.resolve(slug(location.city) + ".json"), Json.MAPPER.writeValueAsString(doc) + "\n");
        JsonNode times = doc.get("hourly").get("time");
        JsonNode temperatures = doc.get("hourly").get("temperature_2m");
        for (int h = 0; h < hours; h++) {
          ObjectNode line = Json.MAPPER.createObjectNode();
          line.set("latitude", doc.get("latitude"));
          line.set("longitude", doc.get("longitude"));
          line.set("time", times.get(h));
          if (!temperatures.get(h).isNull()) {
            line.set("temperature_2m", temperatures.get(h));
          }
          lines.write(Json.MAPPER.writeValueAsString(line));
          lines.write('\n');
        }
      }
    }
    return hours * locations.size();
  }

  static String slug(String city) {
    return city.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }
}
