package io.ehbeam.tools;

import io.ehbeam.pipelines.common.ProjectFiles;
import io.ehbeam.transforms.model.SyntheticTemperatures;
import io.ehbeam.transforms.model.LocationMaster;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code ./run generate-temperatures}: a year (or some days) of hourly temperatures for every city
 * of the location master, in both of the temperature experiment's forms: {@code open-meteo/<city>.json} (the archive
 * API's response) and {@code flat/temperatures.jsonl} (one reading per line; an hour without a value
 * has no {@code temperature_2m}, as Spark writes nulls). Deterministic for a given seed ({@link SyntheticTemperatures}).
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
    Options options = Tools.options(args, Options.class);
    Path output = Path.of(options.getOutput() != null ? options.getOutput()
        : ProjectFiles.datafile("generated/temperatures-" + options.getYear()));
    int readings = SyntheticTemperatures.write(LocationMaster.read(Path.of(options.getLocations())), options.getYear(), options.getDays(),
        options.getSeed(), output);
    System.out.printf("Wrote %,d hourly readings in both forms to %s (open-meteo/, flat/).%n", readings, output);
    return 0;
  }

}
