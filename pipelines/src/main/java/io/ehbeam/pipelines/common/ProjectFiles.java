package io.ehbeam.pipelines.common;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the project (datafiles/), found from {@code ./run}'s root whatever the working directory. */
public final class ProjectFiles {
  private ProjectFiles() {}

  /** The project root: -Dehbeam.home (set by ./run), else the working directory. */
  public static Path home() {
    String home = System.getProperty("ehbeam.home");
    return Path.of(home == null ? "." : home);
  }

  public static String datafile(String relative) {
    return home().resolve("datafiles").resolve(relative).normalize().toString();
  }

  /** Default of every --locations option: the location master shipped in datafiles/. */
  public static final class LocationMasterDefault implements org.apache.beam.sdk.options.DefaultValueFactory<String> {
    @Override
    public String create(org.apache.beam.sdk.options.PipelineOptions options) {
      return datafile("locations/location_master.json");
    }
  }

  /** A file, a folder (every file in it) or a glob, as a Beam file pattern. */
  public static String filePattern(String input) {
    Path path = Path.of(input);
    if (Files.isDirectory(path)) {
      return path.resolve("*").toString();
    }
    return input;
  }
}
