package io.ehbeam.transforms.simulate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ehbeam.transforms.json.Json;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.KV;
import org.junit.Rule;
import org.junit.Test;

public class GenerateDeviceEventsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @Test
  public void countedRunHasExactlyTheConfiguredDuplicatesAndSampleShapedEvents() {
    PAssert.that(pipeline.apply(new GenerateDeviceEvents(7, 50, "contoso-device-id-", 0, 2500, 0, 1000)))
        .satisfies(events -> {
          Map<String, Integer> ids = new HashMap<>();
          int n = 0;
          for (KV<byte[], byte[]> e : events) {
            n++;
            JsonNode node = read(e.getValue());
            ids.merge(node.get("eventId").asText(), 1, Integer::sum);
            assertThat(new String(e.getKey(), UTF_8)).isEqualTo(node.get("deviceId").asText()).startsWith("contoso-device-id-");
            assertThat(node.get("type").asText()).isIn("TEMP", "CO2");
            assertThat(node.get("complexData").size()).isEqualTo(23);
            assertThat(node.get("complexData").get("moreData22").isNumber()).isTrue();
            assertThat(node.get("value").isNumber()).isTrue();
            assertThat(node.get("createdAt").asText()).endsWith("Z");
            assertThat(e.getValue().length).isBetween(800, 1300);
          }
          assertThat(n).isEqualTo(2500);
          assertThat(ids.values().stream().filter(c -> c == 2).count()).isEqualTo(2);
          assertThat(ids.values().stream().filter(c -> c > 2).count()).isZero();
          return null;
        });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void duplicatesAreEveryNthRecord() {
    assertThat(GenerateDeviceEvents.isDuplicate(999, 1000)).isTrue();
    assertThat(GenerateDeviceEvents.isDuplicate(998, 1000)).isFalse();
    assertThat(GenerateDeviceEvents.isDuplicate(1999, 1000)).isTrue();
    assertThat(GenerateDeviceEvents.isDuplicate(999, 0)).isFalse();
  }

  @Test
  public void refusesSettingsThatCannotWork() {
    assertThatThrownBy(() -> new GenerateDeviceEvents(1, 10, "d", 0, 0, 60, 1000)).hasMessageContaining("give --count");
    assertThatThrownBy(() -> new GenerateDeviceEvents(1, 0, "d", 10, 0, 0, 1000)).hasMessageContaining("--devices");
    assertThatThrownBy(() -> new GenerateDeviceEvents(1, 10, "d", 10, 0, 0, 1)).hasMessageContaining("--duplicateEvery=1");
  }

  private static JsonNode read(byte[] bytes) {
    try {
      return Json.MAPPER.readTree(bytes);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
