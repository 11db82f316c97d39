package io.ehbeam.transforms.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/** The hand-written coders of what crosses a shuffle give back what they were given. */
class AggregateCodersTest {
  @Test
  void measurementsWithAndWithoutSource() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(Measurement.CODER, new Measurement(21.5, "device-7"));
    CoderProperties.coderDecodeEncodeEqual(Measurement.CODER, new Measurement(-0.0, null));
    CoderProperties.coderDecodeEncodeEqual(Measurement.CODER, new Measurement(Double.MIN_VALUE, ""));
  }

  @Test
  void statisticsKeepEveryFieldAndSource() throws Exception {
    Stats empty = Stats.CODER.decode(new java.io.ByteArrayInputStream(CoderUtils.encodeToByteArray(Stats.CODER, new Stats())));
    assertThat(empty.count).isZero();
    assertThat(empty.min).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(empty.max).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(empty.sources).isEmpty();

    Stats stats = new Stats();
    stats.add(new Measurement(3.25, "a"));
    stats.add(new Measurement(-7.5, "b"));
    stats.add(new Measurement(1e9, "a"));
    Stats back = CoderUtils.decodeFromByteArray(Stats.CODER, CoderUtils.encodeToByteArray(Stats.CODER, stats));
    assertThat(back.count).isEqualTo(3);
    assertThat(back.min).isEqualTo(-7.5);
    assertThat(back.max).isEqualTo(1e9);
    assertThat(back.sum).isEqualTo(3.25 - 7.5 + 1e9);
    assertThat(back.sources).isEqualTo(Set.of("a", "b"));
  }
}
