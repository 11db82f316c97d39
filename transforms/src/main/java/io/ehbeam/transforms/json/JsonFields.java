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
    long utc = utcMillis(text);
    if (utc != NOT_UTC) {
      return utc;
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

  private static final long NOT_UTC = Long.MIN_VALUE;

  /**
   * {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, the form the simulator and most producers write, read
   * digit by digit: {@code OffsetDateTime.parse} was an eighth of the archive's check per event (JFR).
   * Anything else, a date that does not exist included, is {@link #NOT_UTC}, for java.time to read
   * or refuse. The fraction is truncated to milliseconds, as {@code toEpochMilli} does.
   */
  static long utcMillis(String t) {
    int n = t.length();
    if (n < 20 || n == 21 || n > 30 || t.charAt(n - 1) != 'Z' || t.charAt(4) != '-' || t.charAt(7) != '-'
        || t.charAt(10) != 'T' || t.charAt(13) != ':' || t.charAt(16) != ':' || (n > 20 && t.charAt(19) != '.')) {
      return NOT_UTC;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 7);
    int day = digits(t, 8, 10);
    int hour = digits(t, 11, 13);
    int minute = digits(t, 14, 16);
    int second = digits(t, 17, 19);
    int fraction = n > 20 ? digits(t, 20, n - 1) : 0;
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
        || minute > 59 || second < 0 || second > 59 || fraction < 0
        || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      return NOT_UTC;
    }
    int fractionDigits = n > 20 ? n - 21 : 0;
    int millis = fractionDigits >= 3 ? fraction / POWERS_OF_TEN[fractionDigits - 3] : fraction * POWERS_OF_TEN[3 - fractionDigits];
    return java.time.LocalDate.of(year, month, day).toEpochDay() * 86_400_000L
        + ((hour * 60L + minute) * 60 + second) * 1000 + millis;
  }

  private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

  /** The decimal number of {@code t[from, to)}, or -1 if any of it is not an ASCII digit. */
  private static int digits(String t, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
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
