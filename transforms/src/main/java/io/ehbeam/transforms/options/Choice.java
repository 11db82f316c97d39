package io.ehbeam.transforms.options;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The closed sets of option values (enums), as users write them: lower case with hyphens
 * ({@code event-time}, {@code json}), read in any case, with {@code _} for {@code -} too. An enum
 * delegates its Jackson {@code @JsonCreator} and {@code @JsonValue} here, so that Beam's options
 * parsing takes the same words and a wrong one is refused with the allowed values.
 */
public final class Choice {
  private Choice() {}

  /** The constant {@code text} names, or an error listing the allowed values. */
  public static <E extends Enum<E>> E parse(Class<E> type, String text) {
    String wanted = text == null ? "" : text.trim().replace('-', '_');
    for (E value : type.getEnumConstants()) {
      if (value.name().equalsIgnoreCase(wanted)) {
        return value;
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not one of " + allowed(type));
  }

  /** How users write {@code value}: {@code EVENT_TIME} is {@code event-time}. */
  public static String spelled(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The allowed values, as users write them: {@code json, parquet, avro}. */
  public static String allowed(Class<? extends Enum<?>> type) {
    List<String> words = new ArrayList<>();
    for (Enum<?> value : type.getEnumConstants()) {
      words.add(spelled(value));
    }
    return String.join(", ", words);
  }
}
