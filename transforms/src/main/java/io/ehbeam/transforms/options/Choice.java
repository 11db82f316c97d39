package io.ehbeam.transforms.options;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The closed sets of option values (enums), as users write them: lower case with hyphens
 * ({@code event-time}, {@code json}), read in any case, with {@code _} for {@code -} too. An enum
 * that {@link Word implements Word} is read this way by Beam's options parsing ({@link
 * ChoiceModule}), and a wrong value is refused with the allowed ones.
 */
public final class Choice {
  private Choice() {}

  /**
   * Marks an enum as a closed set of words; its {@code toString()} returns {@link #spelled} so
   * that messages show the words users type.
   */
  public interface Word {}

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
