package io.ehbeam.pipelines.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.transforms.json.Json;
import java.time.Instant;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * {@code monitor-devices} end to end on the real broker, on whichever runner the arguments choose:
 * a few hundred devices, each with a designed sequence (readings in and out of the 70s, CO2 above
 * and at 80, gaps around the 45 s silence), written partly out of order; every alert read back
 * from the output hub must equal what this class computes itself from the sorted sequences, once.
 */
public final class MonitorScenario {
  static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  /** Gaps between a device's events, in seconds: around the silence of 45 s, and short ones. */
  static final int[] GAPS = {1, 2, 3, 5, 8, 13, 20, 30, 44, 45, 46, 60};
  static final int HISTORY = 10;
  static final long SILENCE_MILLIS = 45_000;
  static final List<String> MALFORMED = List.of("not json", "{\"deviceId\":\"x\",\"type\":\"HUMIDITY\"}", "");

  private MonitorScenario() {}

  /** One device event as the scenario writes it. */
  record Event(String deviceId, String eventId, String type, double value, long createdAtMillis) {
    byte[] json() {
      return ("{\"eventId\":\"" + eventId + "\",\"type\":\"" + type + "\",\"deviceId\":\"" + deviceId
          + "\",\"createdAt\":\"" + Instant.ofEpochMilli(createdAtMillis) + "\",\"value\":" + value
          + ",\"deviceSequenceNumber\":0}").getBytes(UTF_8);
    }
  }

  public static void runAndVerify(String name, int devices, JobLauncher launcher, String... runnerArgs) throws java.io.IOException {
    HubFixture hub = HubFixture.plain();
    String input = hub.newTopic(name + "-devices", 3);
    String output = input.replace("-devices-", "-alerts-");

    List<Event> events = designed(devices, new Random(name.hashCode()));
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    Map<String, Long> newest = new java.util.HashMap<>();
    int outOfOrder = 0;
    for (Event e : partlyOutOfOrder(events, new Random(7))) {
      records.add(new SimpleEntry<>(e.deviceId(), e.json()));
      if (newest.getOrDefault(e.deviceId(), Long.MIN_VALUE) > e.createdAtMillis()) {
        outOfOrder++;
      }
      newest.merge(e.deviceId(), e.createdAtMillis(), Math::max);
    }
    assertThat(outOfOrder).as("events written after a later one of their device").isGreaterThan(devices / 10);
    MALFORMED.forEach(bad -> records.add(new SimpleEntry<>("bad", bad.getBytes(UTF_8))));
    hub.write(input, records);

    List<String> args = new ArrayList<>(List.of("--bootstrapServers=" + hub.bootstrapServers(), "--inputTopic=" + input,
        "--outputTopic=" + output, "--consumerGroup=" + input + "-cg", "--stopAtEnd=true"));
    args.addAll(Arrays.asList(runnerArgs));
    Jobs.Outcome outcome = launcher.run("monitor-devices", args);
    assertThat(outcome.state()).isEqualTo(PipelineResult.State.DONE);

    List<String> expected = expectedAlerts(events);
    List<String> actual = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : hub.readAll(output)) {
      JsonNode a = Json.MAPPER.readTree(r.value());
      assertThat(new String(r.key(), UTF_8)).isEqualTo(a.get("deviceId").asText());
      assertThat(Instant.parse(a.get("detectedAt").asText())).isAfter(T0);
      actual.add(line(a.get("deviceId").asText(), a.get("alert").asText(), a.get("eventId").asText(),
          Instant.parse(a.get("createdAt").asText()).toEpochMilli()));
    }
    assertThat(actual).as("alerts, each once").containsExactlyInAnyOrderElementsOf(expected);
    assertThat(outcome.counter("alerts")).isEqualTo(expected.size());
    assertThat(outcome.counter("read")).isEqualTo(events.size() + MALFORMED.size());
    List<ConsumerRecord<byte[], byte[]>> deadLetters = hub.readAll(output + "-deadletter");
    assertThat(deadLetters).hasSize(MALFORMED.size());
    assertThat(outcome.counter("deadLettered")).isEqualTo(MALFORMED.size());
    System.out.printf("monitor-devices %s: %,d events of %d devices (%d written after a later one of their device), %,d alerts, %d dead letters%n",
        name, events.size(), devices, outOfOrder, actual.size(), deadLetters.size());
  }

  /** Each device: 8 to 16 events, TEMP or CO2, values around 70-80 and 80, gaps from {@link #GAPS}. */
  static List<Event> designed(int devices, Random random) {
    List<Event> events = new ArrayList<>();
    for (int d = 0; d < devices; d++) {
      String device = "device-" + d;
      long t = T0.toEpochMilli() + random.nextInt(60_000);
      int n = 8 + random.nextInt(9);
      for (int i = 0; i < n; i++) {
        t += GAPS[random.nextInt(GAPS.length)] * 1000L;
        boolean temp = random.nextInt(3) > 0;
        double value = temp ? 65 + random.nextInt(20) : 75 + random.nextInt(10) + (random.nextBoolean() ? 0.5 : 0);
        events.add(new Event(device, device + "-" + i, temp ? "TEMP" : "CO2", value, t));
      }
    }
    return events;
  }

  /**
   * All events in event-time order, then about a third of each device's consecutive pairs less than
   * 20 s apart written the other way round: out of order by less than the monitor's 60 s allowance.
   */
  static List<Event> partlyOutOfOrder(List<Event> events, Random random) {
    List<Event> order = new ArrayList<>(events);
    order.sort(Comparator.comparingLong(Event::createdAtMillis));
    Map<String, List<Integer>> positions = new java.util.HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      positions.computeIfAbsent(order.get(i).deviceId(), k -> new ArrayList<>()).add(i);
    }
    for (List<Integer> at : positions.values()) {
      for (int i = 0; i + 1 < at.size(); i++) {
        int a = at.get(i);
        int b = at.get(i + 1);
        if (order.get(b).createdAtMillis() - order.get(a).createdAtMillis() < 20_000 && random.nextInt(3) == 0) {
          Collections.swap(order, a, b);
          i++;
        }
      }
    }
    return order;
  }

  /** The alerts, computed here from each device's events in time order (not with the job's code). */
  static List<String> expectedAlerts(List<Event> events) {
    List<String> alerts = new ArrayList<>();
    Map<String, List<Event>> byDevice = new java.util.TreeMap<>();
    events.forEach(e -> byDevice.computeIfAbsent(e.deviceId(), k -> new ArrayList<>()).add(e));
    for (List<Event> device : byDevice.values()) {
      device.sort(Comparator.comparingLong(Event::createdAtMillis));
      boolean wasSeveral = false;
      boolean wasHigh = false;
      for (int i = 0; i < device.size(); i++) {
        Event e = device.get(i);
        if (i == 0) {
          alerts.add(line(e, "first-event"));
        } else if (e.createdAtMillis() - device.get(i - 1).createdAtMillis() >= SILENCE_MILLIS) {
          alerts.add(line(device.get(i - 1), "no-news"));
        }
        List<Event> window = device.subList(Math.max(0, i - HISTORY + 1), i + 1);
        long in70s = window.stream().filter(w -> w.type().equals("TEMP") && w.value() >= 70 && w.value() < 80).count();
        boolean several = in70s >= 2;
        boolean high = several && window.stream().anyMatch(w -> w.type().equals("CO2") && w.value() > 80);
        if (several && !wasSeveral) {
          alerts.add(line(e, "several-temperatures-in-70s"));
        }
        if (high && !wasHigh) {
          alerts.add(line(e, "high-co2-with-temperatures-in-70s"));
        }
        wasSeveral = several;
        wasHigh = high;
      }
      alerts.add(line(device.get(device.size() - 1), "no-news")); // the end of the input closes the last silence
    }
    return alerts;
  }

  static String line(Event e, String alert) {
    return line(e.deviceId(), alert, e.eventId(), e.createdAtMillis());
  }

  static String line(String deviceId, String alert, String eventId, long createdAtMillis) {
    return deviceId + " " + alert + " " + eventId + " " + Instant.ofEpochMilli(createdAtMillis);
  }
}
