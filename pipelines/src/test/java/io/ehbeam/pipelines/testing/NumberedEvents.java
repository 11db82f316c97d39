package io.ehbeam.pipelines.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Events numbered {@code {"eventId":"<n>"}} over three device keys, and the count of each number
 * found in an output topic: what the fault tests need to tell lost events from duplicated ones.
 */
public final class NumberedEvents {
  private NumberedEvents() {}

  /** Events {@code from} (inclusive) to {@code to} (exclusive), keyed device-0 to device-2. */
  public static List<Map.Entry<String, byte[]>> range(int from, int to) {
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    for (int i = from; i < to; i++) {
      records.add(new SimpleEntry<>("device-" + (i % 3), ("{\"eventId\":\"" + i + "\"}").getBytes(UTF_8)));
    }
    return records;
  }

  /** How many times each event number is in the topic (the relay's stamps follow the eventId). */
  public static Map<String, Integer> countsIn(HubFixture hub, String topic) {
    Map<String, Integer> ids = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : hub.readAll(topic)) {
      String value = new String(r.value(), UTF_8);
      ids.merge(value.substring(value.indexOf(":\"") + 2, value.indexOf('"', value.indexOf(":\"") + 2)), 1, Integer::sum);
    }
    return ids;
  }

  /** What a fault test prints for the notes: in, out, distinct, duplicated, lost. */
  public static String report(String fault, int in, HubFixture hub, String topic) {
    Map<String, Integer> ids = countsIn(hub, topic);
    long out = ids.values().stream().mapToLong(Integer::longValue).sum();
    return String.format("%s: in=%d out=%d distinct=%d duplicates=%d lost=%d", fault, in, out, ids.size(),
        out - ids.size(), in - ids.size());
  }
}
