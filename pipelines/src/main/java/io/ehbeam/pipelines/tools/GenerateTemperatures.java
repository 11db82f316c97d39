package io.ehbeam.pipelines.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ehbeam.pipelines.common.ProjectFiles;
import io.ehbeam.transforms.json.Json;
import io.ehbeam.transforms.model.Location;
import io.ehbeam.transforms.model.LocationMaster;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code ./run generate-temperatures}: a year (or some days) of hourly temperatures for every city
 * of the location master, in both of the temperature experiment's forms: {@code open-meteo/<city>.json} (the archive
 * API's response) and {@code flat/temperatures.jsonl} (one reading per line; an hour without a value
 * has no {@code temperature_2m}, as Spark writes nulls). Deterministic for a given seed.
 */
public final class GenerateTemperatures {
  /** Options of generate-temperatures. */
  public interface Options extends PipelineOptions {
    @Description("Year to generate, from January 1st 00:00 GMT.")
    @Default.Integer(2023)
    int getYear();

    void setYear(int value);

    @Description("Days to generate (365: the whole year).")
    @Default.Integer(365)
    int getDays();

    void setDays(int value);

    @Description("Folder to write open-meteo/ and flat/ into. Default: datafiles/generated/temperatures-<year>.")
    String getOutput();

    void setOutput(String value);

    @Description("Location master. Default: datafiles/locations/location_master.json.")
    @Default.InstanceFactory(ProjectFiles.LocationMasterDefault.class)
    String getLocations();

    void setLocations(String value);

    @Description("Seed of the weather: the same seed, the same temperatures.")
    @Default.Long(2023)
    long getSeed();

    void setSeed(long value);
  }

  private GenerateTemperatures() {}

  public static int run(String[] args) throws IOException {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    Path output = Path.of(options.getOutput() != null ? options.getOutput()
        : ProjectFiles.datafile("generated/temperatures-" + options.getYear()));
    int readings = write(LocationMaster.read(Path.of(options.getLocations())), options.getYear(), options.getDays(),
        options.getSeed(), output);
    System.out.printf("Wrote %,d hourly readings in both forms to %s (open-meteo/, flat/).%n", readings, output);
    return 0;
  }

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
