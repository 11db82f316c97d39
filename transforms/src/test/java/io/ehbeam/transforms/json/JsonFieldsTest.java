package io.ehbeam.transforms.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Event times read as java.time reads them, by the fast path for UTC instants as by the general one. */
class JsonFieldsTest {
  @Test
  void utcInstantsAsJavaTimeReadsThemWithAnyFraction() {
    Random random = new Random(20261202);
    for (int i = 0; i < 20_000; i++) {
      // from year 0 to 9999, any fraction of 0 to 9 digits
      long second = Math.floorMod(random.nextLong(), 315_537_897_600L) - 62_167_219_200L;
      int digits = random.nextInt(10);
      StringBuilder text = new StringBuilder(
          LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")));
      if (digits > 0) {
        text.append('.');
        for (int d = 0; d < digits; d++) {
          text.append((char) ('0' + random.nextInt(10)));
        }
      }
      String utc = text.append('Z').toString();
      long expected = OffsetDateTime.parse(utc).toInstant().toEpochMilli();
      assertThat(JsonFields.utcMillis(utc)).as(utc).isEqualTo(expected);
      assertThat(JsonFields.dateTimeMillis("t", utc)).as(utc).isEqualTo(expected);
    }
    assertThat(JsonFields.utcMillis("2026-12-02T10:00:01.123Z")).isEqualTo(Instant.parse("2026-12-02T10:00:01.123Z").toEpochMilli());
    assertThat(JsonFields.utcMillis("2024-02-29T23:59:59.999999999Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59.999Z").toEpochMilli());
  }

  @Test
  void otherFormsGoToJavaTimeWhichReadsOrRefusesThem() {
    for (String other : new String[] {"2026-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-12-02T24:00:00Z",
        "2026-12-02T10:60:00Z", "2026-12-02T10:00:60Z", "2026-12-02T10:00:00.Z", "2026-12-02T10:00:00.1234567890Z",
        "2026-12-02 10:00:00Z", "2026-12-02T10:00:00+01:00", "2026-12-02T10:00:00", "2026-12-0xT10:00:00Z",
        "1764669600000", "+2026-12-02T10:00:00Z", "2026-12-02T10:00:0aZ"}) {
      assertThat(JsonFields.utcMillis(other)).as(other).isEqualTo(Long.MIN_VALUE);
    }
    assertThat(JsonFields.dateTimeMillis("t", "2026-12-02T10:00:00+01:00")).isEqualTo(Instant.parse("2026-12-02T09:00:00Z").toEpochMilli());
    assertThat(JsonFields.dateTimeMillis("t", "2026-12-02T10:00:00")).isEqualTo(Instant.parse("2026-12-02T10:00:00Z").toEpochMilli());
    assertThat(JsonFields.dateTimeMillis("t", "1764669600000")).isEqualTo(1_764_669_600_000L);
    assertThatThrownBy(() -> JsonFields.dateTimeMillis("createdAt", "2026-02-29T10:00:00Z"))
        .hasMessage("createdAt is '2026-02-29T10:00:00Z', not a date-time");
    assertThatThrownBy(() -> JsonFields.dateTimeMillis("createdAt", "2026-12-02T10:00:0aZ"))
        .hasMessage("createdAt is '2026-12-02T10:00:0aZ', not a date-time");
  }
}
