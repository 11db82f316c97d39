package io.ehbeam.transforms.relay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ehbeam.transforms.json.EventDocument;
import io.ehbeam.transforms.json.EventDocument.InvalidEventException;
import io.ehbeam.transforms.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
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

  /**
   * {@link #TIMESTAMP}'s text of an instant, digit by digit for years 1 to 9999: the relay stamps
   * two per event and the archive one, and the formatter makes a ZonedDateTime (with new zone
   * rules) per call. Other years go to the formatter.
   */
  public static String format(long epochMillis) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000L), 0, ZoneOffset.UTC);
    if (t.getYear() < 1 || t.getYear() > 9999) {
      return TIMESTAMP.format(Instant.ofEpochMilli(epochMillis));
    }
    char[] text = "0000-00-00T00:00:00.000Z".toCharArray();
    digits(text, 0, 4, t.getYear());
    digits(text, 5, 2, t.getMonthValue());
    digits(text, 8, 2, t.getDayOfMonth());
    digits(text, 11, 2, t.getHour());
    digits(text, 14, 2, t.getMinute());
    digits(text, 17, 2, t.getSecond());
    digits(text, 20, 3, (int) Math.floorMod(epochMillis, 1000L));
    return new String(text);
  }

  private static void digits(char[] text, int at, int width, int value) {
    for (int i = at + width - 1; i >= at; i--, value /= 10) {
      text[i] = (char) ('0' + value % 10);
    }
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
