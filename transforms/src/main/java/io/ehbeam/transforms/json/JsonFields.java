package io.ehbeam.transforms.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Typed access to an event's fields, failing with the reason a dead letter carries: "{@code field}
 * is missing", "is null", "is not a number", "is not a string", "is '...', not a date-time".
 */
public final class JsonFields {
  private JsonFields() {}

  /** A finite number. */
  public static double number(JsonNode node, String field) {
    JsonNode value = present(node, field);
    if (!value.isNumber()) {
      throw new IllegalArgumentException(field + " is not a number");
    }
    double d = value.asDouble();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException(field + " is not a finite number");
    }
    return d;
  }

  /** A string. */
  public static String text(JsonNode node, String field) {
    JsonNode value = present(node, field);
    if (!value.isTextual()) {
      throw new IllegalArgumentException(field + " is not a string");
    }
    return value.asText();
  }

  /** A date-time string (ISO with or without offset, local taken as UTC) or epoch milliseconds. */
  public static long dateTimeMillis(JsonNode node, String field) {
    JsonNode value = present(node, field);
    return dateTimeMillis(field, value.isNumber() ? value.asText() : text(node, field));
  }

  /** The same for a field's text, as scanned from an event's bytes. */
  public static long dateTimeMillis(String field, String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(field + " is missing or not a scalar");
    }
    try {
      if (text.chars().allMatch(Character::isDigit)) {
        return Long.parseLong(text);
      }
      try {
        return OffsetDateTime.parse(text).toInstant().toEpochMilli();
      } catch (DateTimeParseException e) {
        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
      }
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new IllegalArgumentException(field + " is '" + text + "', not a date-time");
    }
  }

  private static JsonNode present(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isMissingNode()) {
      throw new IllegalArgumentException(field + " is missing");
    }
    if (value.isNull()) {
      throw new IllegalArgumentException(field + " is null");
    }
    return value;
  }
}
