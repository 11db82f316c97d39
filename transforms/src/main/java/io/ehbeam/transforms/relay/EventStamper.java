package io.ehbeam.transforms.relay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ehbeam.transforms.json.EventDocument;
import io.ehbeam.transforms.json.EventDocument.InvalidEventException;
import io.ehbeam.transforms.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/**
 * Adds {@code enqueuedAt} and {@code processedAt} to a JSON event and keeps every other byte.
 *
 * <p>The two fields are spliced in before the object's closing brace, so numbers, spacing and field
 * order of the original event are untouched and no tree is built (this is the relay's hot path).
 * Only an event that already carries one of the two fields (e.g. relayed twice) is rewritten
 * through a tree, so that the result never holds a field twice.
 */
public final class EventStamper {
  public static final String ENQUEUED_AT = "enqueuedAt";
  public static final String PROCESSED_AT = "processedAt";
  private static final Set<String> STAMP_FIELDS = Set.of(ENQUEUED_AT, PROCESSED_AT);

  /** ISO-8601 in UTC with milliseconds always present, so the strings sort and parse alike. */
  public static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private EventStamper() {}

  /** The stamped event, plus the captured value of {@code captureField} (null if none asked). */
  public record Stamped(byte[] value, String captured) {}

  public static Stamped stamp(
      byte[] event, long enqueuedAtMillis, long processedAtMillis, String captureField)
      throws InvalidEventException {
    EventDocument doc = EventDocument.scan(event, STAMP_FIELDS, captureField);
    String enqueuedAt = format(enqueuedAtMillis);
    String processedAt = format(processedAtMillis);
    if (doc.hasAnyWatchedField()) {
      return new Stamped(rewrite(event, enqueuedAt, processedAt), doc.capturedValue());
    }
    byte[] fields =
        ((doc.isEmpty() ? "" : ",")
                + "\"" + ENQUEUED_AT + "\":\"" + enqueuedAt + "\",\""
                + PROCESSED_AT + "\":\"" + processedAt + "\"")
            .getBytes(StandardCharsets.US_ASCII);
    int at = doc.closingBraceOffset();
    byte[] out = new byte[event.length + fields.length];
    System.arraycopy(event, 0, out, 0, at);
    System.arraycopy(fields, 0, out, at, fields.length);
    System.arraycopy(event, at, out, at + fields.length, event.length - at);
    return new Stamped(out, doc.capturedValue());
  }

  public static String format(long epochMillis) {
    return TIMESTAMP.format(Instant.ofEpochMilli(epochMillis));
  }

  private static byte[] rewrite(byte[] event, String enqueuedAt, String processedAt)
      throws InvalidEventException {
    try {
      ObjectNode node = (ObjectNode) Json.MAPPER.readTree(event);
      node.put(ENQUEUED_AT, enqueuedAt);
      node.put(PROCESSED_AT, processedAt);
      ByteArrayOutputStream out = new ByteArrayOutputStream(event.length + 64);
      Json.MAPPER.writeValue(out, node);
      return out.toByteArray();
    } catch (IOException e) {
      throw new InvalidEventException("not valid JSON: " + e.getMessage());
    }
  }
}
