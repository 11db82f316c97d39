package io.ehbeam.transforms.model;

import com.fasterxml.jackson.databind.MappingIterator;
import io.ehbeam.transforms.json.Json;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The cities readings are joined with, by nearest location within a distance: Open-Meteo answers a
 * request with the centre of its own grid cell, so a city asked for at 30.08, -95.42 comes back a few
 * kilometres away, never at the city's exact coordinates.
 */
public final class LocationMaster implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<Location> locations;

  public LocationMaster(List<Location> locations) {
    if (locations.isEmpty()) {
      throw new IllegalArgumentException("The location master is empty");
    }
    this.locations = Collections.unmodifiableList(new ArrayList<>(locations));
  }

  /** Reads a location master in the experiment's JSON-lines form. */
  public static LocationMaster read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("Location master " + file + " does not exist (--locations)");
    }
    List<Location> locations = new ArrayList<>();
    try (MappingIterator<Location> it = Json.MAPPER.readerFor(Location.class).readValues(file.toFile())) {
      while (it.hasNext()) {
        locations.add(it.next());
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("Location master " + file + " is not JSON lines of {elevation, latitude, longitude, city}: " + e.getMessage());
    }
    return new LocationMaster(locations);
  }

  /** The nearest location within {@code maxKm} of the point, if any. */
  public Optional<Location> nearest(double latitude, double longitude, double maxKm) {
    Location best = null;
    double bestKm = Double.MAX_VALUE;
    for (Location l : locations) {
      double km = l.distanceKm(latitude, longitude);
      if (km < bestKm) {
        best = l;
        bestKm = km;
      }
    }
    return bestKm <= maxKm ? Optional.of(best) : Optional.empty();
  }

  public List<Location> locations() {
    return locations;
  }
}
