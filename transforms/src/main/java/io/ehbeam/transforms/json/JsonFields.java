package io.ehbeam.transforms.json;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Typed access to an event's fields, failing with the reason a dead letter carries: "{@code field}
 * is missing", "is null", "is not a number", "is not a string".
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
