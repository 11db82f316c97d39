package io.ehbeam.transforms.model;

import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

/** Every field of a reading, joined or not, comes back through its coder. */
class TemperatureReadingCoderTest {
  @Test
  void readingsBeforeAndAfterTheJoin() throws Exception {
    TemperatureReading read = new TemperatureReading(52.52, 13.419998, "2023-01-01T00:00", -3.25, 3600);
    CoderProperties.coderDecodeEncodeEqual(TemperatureReading.CODER, read);
    TemperatureReading joined = read.at(new Location("Berlin", 52.52, 13.41, 38.0));
    CoderProperties.coderDecodeEncodeEqual(TemperatureReading.CODER, joined);
    joined.elevation = null;
    CoderProperties.coderDecodeEncodeEqual(TemperatureReading.CODER, joined);
    CoderProperties.coderDecodeEncodeEqual(TemperatureReading.CODER, new TemperatureReading(-90, 180, null, 0, -36000));
  }

}
