package io.ehbeam.transforms.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Set;

/**
 * What one streaming pass over an event's bytes learns: that it is one complete JSON object, where
 * its closing brace is, whether it is empty, whether some top-level fields are already present, and
 * the value of one top-level field of interest (e.g. {@code eventId}). {@link #scan} builds no tree:
 * the relay must not pay for one, and must keep the event's bytes as they are; {@link #read} builds
 * it in the same pass, for the archive, which reads every field.
 */
public final class EventDocument {
  private final int closingBraceOffset;
  private final boolean empty;
  private final boolean hasAnyWatchedField;
  private final String capturedValue;
  private final ObjectNode tree;

  private EventDocument(
      int closingBraceOffset, boolean empty, boolean hasAnyWatchedField, String capturedValue, ObjectNode tree) {
    this.closingBraceOffset = closingBraceOffset;
    this.empty = empty;
    this.hasAnyWatchedField = hasAnyWatchedField;
    this.capturedValue = capturedValue;
    this.tree = tree;
  }

  /**
   * Scans {@code bytes} (UTF-8).
   *
   * @param watchedFields top-level names to look out for
   * @param captureField a top-level field whose scalar value to capture, or null
   * @throws InvalidEventException with a short reason when the bytes are not one JSON object
   */
  public static EventDocument scan(byte[] bytes, Set<String> watchedFields, String captureField)
      throws InvalidEventException {
    return pass(bytes, watchedFields, captureField, false);
  }

  /**
   * {@link #scan} that also builds the object's tree ({@link #tree}, floats as doubles: {@link
   * Json#DOUBLES}) in the same pass, for steps that read every field: the same checks and reasons.
   */
  public static EventDocument read(byte[] bytes, Set<String> watchedFields, String captureField)
      throws InvalidEventException {
    return pass(bytes, watchedFields, captureField, true);
  }

  private static EventDocument pass(byte[] bytes, Set<String> watchedFields, String captureField, boolean buildTree)
      throws InvalidEventException {
    if (bytes == null || bytes.length == 0) {
      throw new InvalidEventException("empty record");
    }
    try (JsonParser parser = buildTree ? Json.DOUBLES.createParser(bytes) : Json.FACTORY.createParser(bytes)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new InvalidEventException(
            "not a JSON object: starts with " + describe(first));
      }
      ObjectNode tree = buildTree ? Json.MAPPER.createObjectNode() : null;
      int depth = 1;
      boolean empty = true;
      boolean watched = false;
      String captured = null;
      int closing = -1;
      while (depth > 0) {
        JsonToken token = parser.nextToken();
        if (token == null) {
          throw new InvalidEventException("not valid JSON: the object is not closed");
        }
        switch (token) {
          case START_OBJECT:
          case START_ARRAY:
            depth++;
            break;
          case END_OBJECT:
          case END_ARRAY:
            depth--;
            if (depth == 0) {
              closing = (int) parser.currentTokenLocation().getByteOffset();
            }
            break;
          case FIELD_NAME:
            if (depth == 1) {
              empty = false;
              String name = parser.currentName();
              if (watchedFields.contains(name)) {
                watched = true;
              }
              if (buildTree || name.equals(captureField)) {
                JsonToken value = parser.nextToken();
                if (name.equals(captureField)) {
                  captured = value.isScalarValue() && value != JsonToken.VALUE_NULL ? parser.getText() : null;
                }
                if (buildTree) {
                  tree.set(name, Json.DOUBLES.readTree(parser)); // the whole value, nested ones included
                } else if (!value.isScalarValue()) {
                  depth++; // an object or array: nothing to capture, but keep counting
                }
              }
            }
            break;
          default:
            break;
        }
      }
      JsonToken trailing = parser.nextToken();
      if (trailing != null) {
        throw new InvalidEventException("not valid JSON: data after the object's end");
      }
      return new EventDocument(closing, empty, watched, captured, tree);
    } catch (JsonProcessingException e) {
      throw new InvalidEventException(Json.describe(e));
    } catch (IOException e) {
      throw new InvalidEventException("unreadable: " + e.getMessage());
    }
  }

  private static String describe(JsonToken token) {
    if (token == null) {
      return "nothing";
    }
    switch (token) {
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return token.toString();
    }
  }

  /** Byte offset of the object's closing brace. */
  public int closingBraceOffset() {
    return closingBraceOffset;
  }

  public boolean isEmpty() {
    return empty;
  }

  /** True when one of the watched top-level fields is already in the event. */
  public boolean hasAnyWatchedField() {
    return hasAnyWatchedField;
  }

  /** The captured field's value as text, or null when absent, null or not a scalar. */
  public String capturedValue() {
    return capturedValue;
  }

  /** The object's tree, from {@link #read}; null from {@link #scan}. */
  public ObjectNode tree() {
    return tree;
  }

  /** Why an event's bytes are not an event. The message is short and never quotes the event. */
  public static final class InvalidEventException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidEventException(String reason) {
      super(reason, null, false, false);
    }
  }
}
