package io.ehbeam.transforms.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.transforms.model.TemperatureReading;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemperatureFileCodecTest {
  static final String DOC =
      "{\"latitude\":52.52,\"longitude\":13.419998,\"generationtime_ms\":0.05,\"utc_offset_seconds\":0,"
          + "\"timezone\":\"GMT\",\"timezone_abbreviation\":\"GMT\",\"elevation\":38.0,"
          + "\"hourly_units\":{\"time\":\"iso8601\",\"temperature_2m\":\"°C\"},"
          + "\"hourly\":{\"time\":[\"2023-01-01T00:00\",\"2023-01-01T01:00\",\"2023-01-01T02:00\"],"
          + "\"temperature_2m\":[10.2,null,-0.5]}}";

  private static TemperatureFileCodec.Parsed parse(String content) {
    return TemperatureFileCodec.parse(content.getBytes(UTF_8));
  }

  @Test
  void flattensAnOpenMeteoDocumentIntoOneReadingPerHourAndReportsNulls() {
    TemperatureFileCodec.Parsed parsed = parse(DOC);
    assertThat(parsed.readings)
        .containsExactly(
            new TemperatureReading(52.52, 13.419998, "2023-01-01T00:00", 10.2, 0),
            new TemperatureReading(52.52, 13.419998, "2023-01-01T02:00", -0.5, 0));
    assertThat(parsed.problems).singleElement().satisfies(p -> {
      assertThat(p.reason()).isEqualTo("temperature_2m is null (hourly[1])");
      assertThat(new String(p.bytes(), UTF_8))
          .isEqualTo("{\"latitude\":52.52,\"longitude\":13.419998,\"time\":\"2023-01-01T01:00\",\"temperature_2m\":null}");
    });
    assertThat(parsed.readings.get(0).epochMillis()).isEqualTo(1_672_531_200_000L);
  }

  @Test
  void readsPrettyPrintedDocumentsArraysOfThemAndUnixTimes() {
    String pretty = DOC.replace(",", ",\n  ").replace("{", "{\n  ");
    assertThat(parse(pretty).readings).hasSize(2);
    assertThat(parse("[" + DOC + "," + DOC.replace("52.52", "48.85") + "]").readings).hasSize(4);
    String unix = "{\"latitude\":1.0,\"longitude\":2.0,\"utc_offset_seconds\":3600,"
        + "\"hourly\":{\"time\":[1672531200],\"temperature_2m\":[5.5]}}";
    TemperatureReading r = parse(unix).readings.get(0);
    assertThat(r.time).isEqualTo("2023-01-01T01:00"); // local time at UTC+1
    assertThat(r.epochMillis()).isEqualTo(1_672_531_200_000L);
  }

  @Test
  void readsFlattenedLinesAndReportsEachBadLineWithItsNumber() {
    String lines = String.join("\n",
        "{\"latitude\":12.875,\"longitude\":77.625,\"time\":\"2023-01-01T00:00\",\"temperature_2m\":21.3}",
        "",
        "{\"latitude\":12.875,\"longitude\":77.625,\"time\":\"2023-01-01T01:00\"}",
        "this is not json",
        "{\"latitude\":12.875,\"longitude\":77.625,\"time\":\"2023-01-01T02:00\",\"temperature_2m\":\"warm\"}",
        "{\"latitude\":12.875,\"longitude\":77.625,\"time\":\"2023-01-01T03:00Z\",\"temperature_2m\":22}",
        "");
    TemperatureFileCodec.Parsed parsed = parse(lines);
    assertThat(parsed.readings).extracting(r -> r.time).containsExactly("2023-01-01T00:00", "2023-01-01T03:00");
    assertThat(parsed.problems).extracting(p -> p.line() + ": " + p.reason().replaceAll("not valid JSON: .*", "not valid JSON"))
        .containsExactly("3: temperature_2m is missing", "4: not valid JSON", "5: temperature_2m is not a number");
    assertThat(new String(parsed.problems.get(1).bytes(), UTF_8)).isEqualTo("this is not json");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "{\"longitude\":1,\"time\":\"2023-01-01T00:00\",\"temperature_2m\":1}              | latitude is missing",
      "{\"latitude\":\"north\",\"longitude\":1,\"time\":\"2023-01-01T00:00\",\"temperature_2m\":1} | latitude is not a number",
      "{\"latitude\":1,\"longitude\":1,\"temperature_2m\":1}                             | time is missing",
      "{\"latitude\":1,\"longitude\":1,\"time\":20230101,\"temperature_2m\":1}            | time is not a string",
      "{\"latitude\":1,\"longitude\":1,\"time\":\"yesterday\",\"temperature_2m\":1}       | time 'yesterday' is not an ISO-8601 date-time",
      "{\"latitude\":1,\"longitude\":1,\"time\":\"2023-01-01T00:00\",\"temperature_2m\":null} | temperature_2m is null",
      "[1,2]                                                                           | not a JSON object",
      "{\"latitude\":1,\"longitude\":1,\"hourly\":{\"time\":[\"2023-01-01T00:00\"],\"temperature_2m\":[]}} | Open-Meteo document with 1 hourly times but 0 temperatures",
      "{\"latitude\":1,\"longitude\":1,\"hourly\":{}}                                     | Open-Meteo document without hourly.time and hourly.temperature_2m arrays",
  })
  void everyKindOfBadReadingHasItsReason(String line, String reason) {
    TemperatureFileCodec.Parsed parsed = parse("{\"latitude\":1,\"longitude\":1,\"time\":\"2023-01-01T00:00\",\"temperature_2m\":1}\n" + line);
    assertThat(parsed.readings).hasSize(1);
    assertThat(parsed.problems).extracting(p -> p.reason()).containsExactly(reason);
  }

  @Test
  void aBrokenDocumentIsOneProblemAndEmptyFilesAreNothing() {
    TemperatureFileCodec.Parsed broken = parse("{\n \"latitude\": 1,\n \"hourly\": {\"time\": [\n");
    assertThat(broken.readings).isEmpty();
    assertThat(broken.problems).singleElement().satisfies(p -> assertThat(p.reason()).startsWith("not valid JSON"));
    assertThat(parse("  \n").readings).isEmpty();
    assertThat(parse("  \n").problems).isEmpty();
  }

  @Test
  void readingsSerializeWithTheExperimentsFieldNames() {
    List<TemperatureReading> readings = parse(DOC).readings;
    assertThat(new String(readings.get(0).toJson(), UTF_8))
        .isEqualTo("{\"latitude\":52.52,\"longitude\":13.419998,\"time\":\"2023-01-01T00:00\",\"temperature_2m\":10.2}");
  }
}
