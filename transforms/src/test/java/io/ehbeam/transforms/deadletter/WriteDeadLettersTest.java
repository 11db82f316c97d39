package io.ehbeam.transforms.deadletter;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

class WriteDeadLettersTest {
  private static Map<String, String> headers(ProducerRecord<byte[], byte[]> r) {
    Map<String, String> m = new HashMap<>();
    for (Header h : r.headers()) {
      m.put(h.key(), new String(h.value(), UTF_8));
    }
    return m;
  }

  @Test
  void keepsKeyAndBytesAndCarriesReasonAndSourceInHeaders() {
    byte[] bytes = {(byte) 0xff, 'x', 0};
    DeadLetter d = new DeadLetter("k".getBytes(UTF_8), bytes, "not valid JSON", "StampEvents", "in", 3, 42L, 1000L);
    ProducerRecord<byte[], byte[]> r = WriteDeadLetters.toRecord("out-deadletter", d);
    assertThat(r.topic()).isEqualTo("out-deadletter");
    assertThat(r.key()).isEqualTo("k".getBytes(UTF_8));
    assertThat(r.value()).isEqualTo(bytes);
    assertThat(headers(r))
        .containsEntry("deadletter.reason", "not valid JSON")
        .containsEntry("deadletter.step", "StampEvents")
        .containsEntry("deadletter.topic", "in")
        .containsEntry("deadletter.partition", "3")
        .containsEntry("deadletter.offset", "42")
        .containsEntry("deadletter.timestamp", "1000")
        .doesNotContainKey("deadletter.truncated");
  }

  @Test
  void cutsPayloadsTooLargeForTheHubAndSaysSo() {
    byte[] huge = new byte[WriteDeadLetters.MAX_PAYLOAD_BYTES + 10];
    DeadLetter d = new DeadLetter(null, huge, "too large", "StampEvents", "in", 0, 1L, 0L);
    ProducerRecord<byte[], byte[]> r = WriteDeadLetters.toRecord("dl", d);
    assertThat(r.value()).hasSize(WriteDeadLetters.MAX_PAYLOAD_BYTES);
    assertThat(headers(r))
        .containsEntry("deadletter.truncated", "true")
        .containsEntry("deadletter.originalBytes", Integer.toString(huge.length));
  }
}
