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

  /**
   * Events {@code from} to {@code to} written in the background, 10 every 100 ms on one producer:
   * input still arriving while a test injects a fault. {@link #sent()} says how far it got.
   */
  public static final class Arriving implements AutoCloseable {
    private final java.util.concurrent.atomic.AtomicInteger sent;
    private final java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor();
    private final java.util.concurrent.Future<?> done;

    private Arriving(HubFixture hub, String topic, int from, int to) {
      sent = new java.util.concurrent.atomic.AtomicInteger(from);
      done = thread.submit(() -> {
        try (org.apache.kafka.clients.producer.Producer<byte[], byte[]> producer = hub.producer()) {
          while (sent.get() < to) {
            int next = Math.min(to, sent.get() + 10);
            for (Map.Entry<String, byte[]> e : range(sent.get(), next)) {
              producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, e.getKey().getBytes(UTF_8), e.getValue()));
            }
            producer.flush();
            sent.set(next);
            java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofMillis(100).toNanos());
          }
        }
        return null;
      });
    }

    public static Arriving start(HubFixture hub, String topic, int from, int to) {
      return new Arriving(hub, topic, from, to);
    }

    /** Events written so far (numbers below this one). */
    public int sent() {
      return sent.get();
    }

    /** Waits until every event is written; a failed write fails the test. */
    public void awaitDone(java.time.Duration timeout) throws Exception {
      done.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
      thread.shutdownNow();
    }
  }
}
