package io.ehbeam.pipelines.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

class SecretSearchTest {
  @Test
  void aStringInsideBeamsCompressedFormIsFound() {
    // Repeats compress to back-references: the raw bytes do not hold the string, the search does.
    String secret = "probe-secret-probe-secret-probe-secret-probe-secret";
    ArrayList<String> value = new ArrayList<>();
    value.add("before");
    value.add(secret);
    byte[] serialized = SerializableUtils.serializeToByteArray(value);
    assertThat(new String(serialized, StandardCharsets.ISO_8859_1)).doesNotContain(secret);
    assertThat(SecretSearch.snappyStreams(serialized)).isEqualTo(1);
    assertThat(SecretSearch.readable(serialized)).contains(secret);

    // Embedded in a larger file (a job graph, a checkpoint) with bytes around it.
    byte[] embedded = new byte[serialized.length + 20];
    System.arraycopy(serialized, 0, embedded, 10, serialized.length);
    assertThat(SecretSearch.readable(embedded)).contains(secret);
  }
}
