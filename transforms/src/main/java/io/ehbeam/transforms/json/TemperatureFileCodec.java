package io.ehbeam.transforms.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ehbeam.transforms.model.TemperatureReading;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads hourly temperature files in both forms the temperature experiment used, telling them apart per file:
 *
 * <ul>
 *   <li>Open-Meteo archive responses, as the API returns them: one document per location ({@code
 *       latitude}, {@code longitude}, {@code utc_offset_seconds}, {@code hourly.time[]}, {@code
 *       hourly.temperature_2m[]}, ...), pretty-printed or not, or a JSON array of them (a request for
 *       several locations), or one per line;
 *   <li>flattened JSON lines: {@code {"latitude":..,"longitude":..,"time":"2023-01-01T00:00","temperature_2m":..}}.
 * </ul>
 *
 * Every reading that cannot be used (a line that is not JSON, a missing, null or non-numeric
 * temperature, a bad time) becomes a {@link Problem} with the reason: Open-Meteo files really do hold
 * nulls (hours not yet in the archive).
 */
public final class TemperatureFileCodec {
  static final DateTimeFormatter OPEN_METEO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

  private TemperatureFileCodec() {}

  /** A reading or document that was refused: where (1-based line), its bytes, and why. */
  public record Problem(long line, byte[] bytes, String reason) {
    @Override
    public String toString() {
      return "line " + line + ": " + reason;
    }
  }

  /** What a file held. */
  public static final class Parsed {
    public final List<TemperatureReading> readings = new ArrayList<>();
    public final List<Problem> problems = new ArrayList<>();
  }

  public static Parsed parse(byte[] content) {
    Parsed parsed = new Parsed();
    String text = new String(content, StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      return parsed;
    }
    if (trimmed.startsWith("[") || !firstLineIsComplete(text)) {
      readDocuments(trimmed, parsed);
    } else {
      readLines(text, parsed);
    }
    return parsed;
  }

  /** True when the first non-blank line is a JSON value on its own (JSON lines, not a pretty-printed document). */
  private static boolean firstLineIsComplete(String text) {
    for (String line : text.split("\n", -1)) {
      if (!line.isBlank()) {
        try {
          Json.MAPPER.readTree(line);
          return true;
        } catch (JsonProcessingException e) {
          return !line.strip().startsWith("{") || line.strip().endsWith("}");
        }
      }
    }
    return true;
  }

  private static void readLines(String text, Parsed parsed) {
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank()) {
        continue;
      }
      long lineNumber = i + 1;
      byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
      JsonNode node;
      try {
        node = Json.MAPPER.readTree(bytes);
      } catch (IOException e) {
        parsed.problems.add(new Problem(lineNumber, bytes, e instanceof JsonProcessingException
            ? Json.describe((JsonProcessingException) e) : "unreadable: " + e.getMessage()));
        continue;
      }
      readValue(node, lineNumber, bytes, parsed);
    }
  }

  private static void readDocuments(String text, Parsed parsed) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    try (com.fasterxml.jackson.core.JsonParser parser = Json.FACTORY.createParser(bytes)) {
      while (parser.nextToken() != null) {
        long line = parser.currentTokenLocation().getLineNr();
        JsonNode value = Json.MAPPER.readTree(parser);
        if (value.isArray()) {
          for (JsonNode element : value) {
            readValue(element, line, element.toString().getBytes(StandardCharsets.UTF_8), parsed);
          }
        } else {
          readValue(value, line, value.toString().getBytes(StandardCharsets.UTF_8), parsed);
        }
      }
    } catch (JsonProcessingException e) {
      parsed.problems.add(new Problem(1, bytes, Json.describe(e)));
    } catch (IOException e) {
      parsed.problems.add(new Problem(1, bytes, "unreadable: " + e.getMessage()));
    }
  }

  private static void readValue(JsonNode node, long line, byte[] bytes, Parsed parsed) {
    if (!node.isObject()) {
      parsed.problems.add(new Problem(line, bytes, "not a JSON object"));
    } else if (node.has("hourly")) {
      flattenDocument(node, line, bytes, parsed);
    } else {
      try {
        parsed.readings.add(flatReading(node, 0));
      } catch (IllegalArgumentException e) {
        parsed.problems.add(new Problem(line, bytes, e.getMessage()));
      }
    }
  }

  /** An Open-Meteo document's hourly arrays, one reading per hour. */
  static void flattenDocument(JsonNode doc, long line, byte[] bytes, Parsed parsed) {
    double latitude;
    double longitude;
    try {
      latitude = JsonFields.number(doc, "latitude");
      longitude = JsonFields.number(doc, "longitude");
    } catch (IllegalArgumentException e) {
      parsed.problems.add(new Problem(line, bytes, "Open-Meteo document: " + e.getMessage()));
      return;
    }
    int offset = doc.path("utc_offset_seconds").asInt(0);
    JsonNode hourly = doc.get("hourly");
    JsonNode times = hourly.get("time");
    JsonNode temperatures = hourly.get("temperature_2m");
    if (times == null || !times.isArray() || temperatures == null || !temperatures.isArray()) {
      parsed.problems.add(new Problem(line, bytes, "Open-Meteo document without hourly.time and hourly.temperature_2m arrays"));
      return;
    }
    if (times.size() != temperatures.size()) {
      parsed.problems.add(new Problem(line, bytes, "Open-Meteo document with " + times.size() + " hourly times but "
          + temperatures.size() + " temperatures"));
      return;
    }
    for (int i = 0; i < times.size(); i++) {
      ObjectNode flat = Json.MAPPER.createObjectNode();
      flat.put("latitude", latitude);
      flat.put("longitude", longitude);
      JsonNode t = times.get(i);
      if (t.isNumber()) { // &timeformat=unixtime
        flat.put("time", OPEN_METEO_TIME.format(Instant.ofEpochSecond(t.asLong()).atOffset(ZoneOffset.ofTotalSeconds(offset))));
      } else {
        flat.set("time", t);
      }
      flat.set("temperature_2m", temperatures.get(i));
      try {
        parsed.readings.add(flatReading(flat, offset));
      } catch (IllegalArgumentException e) {
        parsed.problems.add(new Problem(line, flat.toString().getBytes(StandardCharsets.UTF_8),
            e.getMessage() + " (hourly[" + i + "])"));
      }
    }
  }

  /** One flat reading, checked: every field present and of the right type. */
  static TemperatureReading flatReading(JsonNode node, int utcOffsetSeconds) {
    double latitude = JsonFields.number(node, "latitude");
    double longitude = JsonFields.number(node, "longitude");
    String normalized = normalizeTime(JsonFields.text(node, "time"));
    double temperature = JsonFields.number(node, "temperature_2m");
    return new TemperatureReading(latitude, longitude, normalized, temperature, utcOffsetSeconds);
  }

  private static String normalizeTime(String time) {
    try {
      LocalDateTime.parse(time);
      return time;
    } catch (DateTimeParseException notLocal) {
      try {
        // An instant with an offset or Z: expressed in UTC, the way Open-Meteo writes GMT times.
        LocalDateTime utc = OffsetDateTime.parse(time).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        return utc.getSecond() == 0 && utc.getNano() == 0 ? OPEN_METEO_TIME.format(utc) : utc.toString();
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("time '" + abbreviate(time) + "' is not an ISO-8601 date-time");
      }
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
