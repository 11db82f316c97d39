package io.ehbeam.transforms.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/** Every reading crosses the shuffle to its device's state through this coder. */
class DeviceReadingCoderTest {
  @Test
  void aReadingAndWhereItCameFromSurviveTheShuffle() throws Exception {
    DeviceReading reading = new DeviceReading("e-1", "device-3", "CO2", 412.25, 1_700_000_000_999L,
        new DeviceReading.Origin("device-events", 2, 1L << 35, 1_700_000_001_000L, new byte[] {7}, "{\"a\":1}".getBytes()));
    DeviceReading back = CoderUtils.decodeFromByteArray(DeviceReading.CODER, CoderUtils.encodeToByteArray(DeviceReading.CODER, reading));
    assertThat(back).usingRecursiveComparison().isEqualTo(reading);

    DeviceReading bare = new DeviceReading(null, "d", null, -1.5, -5L, new DeviceReading.Origin(null, 0, 0, 0, null, null));
    assertThat(CoderUtils.decodeFromByteArray(DeviceReading.CODER, CoderUtils.encodeToByteArray(DeviceReading.CODER, bare)))
        .usingRecursiveComparison().isEqualTo(bare);
  }
}
