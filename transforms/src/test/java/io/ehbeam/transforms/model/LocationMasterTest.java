package io.ehbeam.transforms.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocationMasterTest {
  static final LocationMaster MASTER = new LocationMaster(List.of(
      new Location("Spring", 30.0799, -95.4172, 35),
      new Location("Paris", 48.8566, 2.3522, 35),
      new Location("London", 51.5072, -0.1276, 11)));

  @Test
  void gridSnappedCoordinatesJoinTheNearestCityWithinTheDistance() {
    assertThat(MASTER.nearest(30.0, -95.5, 25)).hasValueSatisfying(l -> assertThat(l.city).isEqualTo("Spring"));
    assertThat(MASTER.nearest(30.2, -95.5, 25)).hasValueSatisfying(l -> assertThat(l.city).isEqualTo("Spring"));
    assertThat(MASTER.nearest(48.75, 2.25, 25)).hasValueSatisfying(l -> assertThat(l.city).isEqualTo("Paris"));
    assertThat(MASTER.nearest(30.0, -95.5, 5)).isEmpty();
    assertThat(MASTER.nearest(0, 0, 25)).isEmpty();
  }

  @Test
  void distancesAreGreatCircleKilometres() {
    Location london = MASTER.locations().get(2);
    assertThat(london.distanceKm(48.8566, 2.3522)).isCloseTo(343.5, within(1.0));
    assertThat(london.distanceKm(london.latitude, london.longitude)).isZero();
  }

  @Test
  void readsJsonLinesAndRejectsWhatIsNot(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("master.json");
    Files.writeString(file, "{\"elevation\":920.0,\"latitude\":12.9716,\"longitude\":77.5946,\"city\":\"Bangalore\"}\n"
        + "{\"elevation\":21.0,\"latitude\":41.9028,\"longitude\":12.4964,\"city\":\"Rome\"}\n");
    assertThat(LocationMaster.read(file).locations()).extracting(l -> l.city).containsExactly("Bangalore", "Rome");
    Files.writeString(file, "not json");
    assertThatThrownBy(() -> LocationMaster.read(file)).hasMessageContaining("is not JSON lines");
    assertThatThrownBy(() -> LocationMaster.read(dir.resolve("missing.json"))).hasMessageContaining("does not exist");
  }
}
