package io.ehbeam.transforms.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The project's one JSON configuration. Mappers and factories are thread-safe and costly to make:
 * share these, never make one per element.
 */
public final class Json {
  /**
   * Streaming factory. Source content is left out of error locations so that an exception message
   * (which may reach a log or a dead-letter header) never quotes the event it failed on.
   */
  public static final JsonFactory FACTORY =
      JsonFactory.builder().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();

  /**
   * Tree/data-binding mapper. Floats are read as exact BigDecimals (30.0 stays 30.0, never 3E+1) so
   * that rewriting a document keeps its digits.
   */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder(FACTORY)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .nodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true))
          .build();

  /**
   * For reading values into typed records (Avro, Parquet) rather than writing JSON back: floats as
   * doubles with Jackson's fast parser. A device event's 23 decimals made BigDecimals the archive's
   * largest cost.
   */
  public static final com.fasterxml.jackson.databind.ObjectReader DOUBLES =
      MAPPER.reader()
          .without(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .with(StreamReadFeature.USE_FAST_DOUBLE_PARSER);

  private Json() {}

  /**
   * The top-level fields {@code names} of a record's value (floats as doubles, {@link #DOUBLES}:
   * BigDecimals were a tenth of Flink's aggregate), or an {@link IllegalArgumentException} with the
   * reason a dead letter carries: "empty record", "not valid JSON: ...", "not a JSON object". The
   * other fields are skipped, not built (a 905-byte device event: 1.5 us against 2.6 us for its
   * whole tree), though still checked to be valid JSON.
   */
  public static com.fasterxml.jackson.databind.node.ObjectNode fields(byte[] value, java.util.Set<String> names) {
    if (value == null || value.length == 0) {
      throw new IllegalArgumentException("empty record");
    }
    try (com.fasterxml.jackson.core.JsonParser parser = DOUBLES.createParser(value)) {
      if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      com.fasterxml.jackson.databind.node.ObjectNode fields = MAPPER.createObjectNode();
      while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        if (names.contains(name)) {
          fields.set(name, DOUBLES.readTree(parser));
        } else {
          parser.skipChildren();
        }
      }
      return fields;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(describe(e));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  /**
   * Why some bytes are not valid JSON, in one short line that never quotes them: Jackson's message
   * without its source excerpt, and the byte offset.
   */
  public static String describe(com.fasterxml.jackson.core.JsonProcessingException e) {
    String message = e.getOriginalMessage();
    int marker = message.indexOf(" (start marker at");
    if (marker >= 0) {
      message = message.substring(0, marker);
    }
    return "not valid JSON: " + message
        + (e.getLocation() == null ? "" : " at byte " + e.getLocation().getByteOffset());
  }
}
