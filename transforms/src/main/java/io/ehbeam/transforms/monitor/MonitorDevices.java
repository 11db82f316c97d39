package io.ehbeam.transforms.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import io.ehbeam.transforms.deadletter.DeadLetter;
import io.ehbeam.transforms.io.ReadFromHub;
import io.ehbeam.transforms.json.Json;
import io.ehbeam.transforms.json.JsonFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Per-device pattern detection in event time:
 *
 * <pre>
 *   Parse ─▶ DetectPatterns (state per device: pending events, the last N, flags; one event-time timer) ─▶ alerts
 *     └── dead letters ◀── too late ──┘
 * </pre>
 *
 * <p>The records' timestamps must be the events' own time ({@code createdAt}). A device's events
 * wait in state until the watermark passes them, then go through the rules in event-time order,
 * so events that arrive out of order (within the watermark's allowance) give the same alerts as
 * sorted ones. The rules ({@link Alert.Kind}): the device's first event; at least two TEMP readings
 * in [70, 80) among its last {@code historySize} events, when that becomes true; the same with a
 * CO2 reading above 80; and a gap of at least {@code silence} in event time after an event, when
 * the next event shows it or the watermark passes its end (at the end of a bounded input the
 * watermark passes every silence). An event older than what its device has already been checked
 * up to is a dead letter.
 */
public final class MonitorDevices extends PTransform<PCollection<KafkaRecord<byte[], byte[]>>, PCollectionTuple> {
  public static final TupleTag<KV<String, Alert>> ALERTS = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};
  static final TupleTag<KV<String, DeviceReading>> READINGS = new TupleTag<>() {};
  public static final String ALERTS_COUNTER = "alerts";
  static final String PARSE_STEP = "ParseDeviceEvents";
  static final String DETECT_STEP = "DetectPatterns";

  private final int historySize;
  private final Duration silence;

  public MonitorDevices(int historySize, Duration silence) {
    if (historySize < 1) {
      throw new IllegalArgumentException("--historySize must be at least 1; got " + historySize);
    }
    if (silence.getMillis() <= 0) {
      throw new IllegalArgumentException("--silenceSeconds must be more than 0; got " + silence.getStandardSeconds());
    }
    this.historySize = historySize;
    this.silence = silence;
  }

  @Override
  public PCollectionTuple expand(PCollection<KafkaRecord<byte[], byte[]>> records) {
    PCollectionTuple parsed = records.apply(PARSE_STEP,
        ParDo.of(new Parse()).withOutputTags(READINGS, TupleTagList.of(DEAD_LETTERS)));
    PCollectionTuple detected = parsed.get(READINGS)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), DeviceReading.CODER))
        .apply(DETECT_STEP, ParDo.of(new DetectPatterns(historySize, silence.getMillis()))
            .withOutputTags(ALERTS, TupleTagList.of(DEAD_LETTERS)));
    PCollection<DeadLetter> deadLetters = PCollectionList
        .of(parsed.get(DEAD_LETTERS).setCoder(SerializableCoder.of(DeadLetter.class)))
        .and(detected.get(DEAD_LETTERS).setCoder(SerializableCoder.of(DeadLetter.class)))
        .apply("AllDeadLetters", Flatten.pCollections());
    return PCollectionTuple
        .of(ALERTS, detected.get(ALERTS).setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(Alert.class))))
        .and(DEAD_LETTERS, deadLetters);
  }

  /** A device event, checked: eventId, deviceId, type TEMP or CO2, a numeric value, a createdAt time. */
  static final class Parse extends DoFn<KafkaRecord<byte[], byte[]>, KV<String, DeviceReading>> {
    /** What a reading is made of; the event's other fields are not parsed. */
    private static final java.util.Set<String> FIELDS_READ =
        java.util.Set.of("eventId", "deviceId", "type", "value", "createdAt");

    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> record, MultiOutputReceiver out) {
      byte[] value = record.getKV().getValue();
      try {
        JsonNode event = Json.fields(value, FIELDS_READ);
        String type = JsonFields.text(event, "type");
        if (!type.equals("TEMP") && !type.equals("CO2")) {
          throw new IllegalArgumentException("type is '" + type + "', not TEMP or CO2");
        }
        String deviceId = JsonFields.text(event, "deviceId");
        DeviceReading reading = new DeviceReading(JsonFields.text(event, "eventId"), deviceId, type,
            JsonFields.number(event, "value"), JsonFields.dateTimeMillis(event, "createdAt"),
            new DeviceReading.Origin(record.getTopic(), record.getPartition(), record.getOffset(),
                record.getTimestamp(), record.getKV().getKey(), value));
        out.get(READINGS).output(KV.of(deviceId, reading));
      } catch (IllegalArgumentException e) {
        out.get(DEAD_LETTERS).output(DeadLetter.of(record, PARSE_STEP, e.getMessage()));
      }
    }
  }

  /**
   * One device's events through the rules in event-time order. State stays bounded: the events not
   * yet reached by the watermark, the last {@code historySize}, a few flags, and one timer set at
   * the earliest of the next pending event and the end of the current silence.
   */
  static final class DetectPatterns extends DoFn<KV<String, DeviceReading>, KV<String, Alert>> {
    private final int historySize;
    private final long silenceMillis;
    private final Counter alerts = Metrics.counter(ReadFromHub.METRICS_NAMESPACE, ALERTS_COUNTER);

    @StateId("pending")
    private final StateSpec<BagState<DeviceReading>> pendingSpec = StateSpecs.bag(SerializableCoder.of(DeviceReading.class));

    @StateId("history")
    private final StateSpec<ValueState<DeviceHistory>> historySpec = StateSpecs.value(SerializableCoder.of(DeviceHistory.class));

    @StateId("wakeAt")
    private final StateSpec<ValueState<Long>> wakeAtSpec = StateSpecs.value();

    @TimerId("wake")
    private final TimerSpec wakeSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    DetectPatterns(int historySize, long silenceMillis) {
      this.historySize = historySize;
      this.silenceMillis = silenceMillis;
    }

    @ProcessElement
    public void process(@Element KV<String, DeviceReading> element, @Timestamp Instant timestamp,
        @StateId("pending") BagState<DeviceReading> pending, @StateId("history") ValueState<DeviceHistory> history,
        @StateId("wakeAt") ValueState<Long> wakeAt, @TimerId("wake") Timer wake, MultiOutputReceiver out) {
      DeviceReading reading = element.getValue();
      DeviceHistory device = history.read();
      if (device != null && reading.createdAtMillis() <= device.checkedUpTo()) {
        out.get(DEAD_LETTERS).output(reading.deadLetter(DETECT_STEP, "arrived after its device's events up to "
            + Instant.ofEpochMilli(device.checkedUpTo()) + " were checked: later than the watermark allows"
            + " (--maxOutOfOrderSeconds)"));
        return;
      }
      pending.add(reading);
      Long next = wakeAt.read();
      if (next == null || timestamp.getMillis() < next) {
        // Never earlier than this element: a timer may not hold output before its input.
        wake.set(timestamp);
        wakeAt.write(timestamp.getMillis());
      }
    }

    @OnTimer("wake")
    public void onWake(@Timestamp Instant firedAt, @Key String deviceId,
        @StateId("pending") BagState<DeviceReading> pending, @StateId("history") ValueState<DeviceHistory> history,
        @StateId("wakeAt") ValueState<Long> wakeAt, @TimerId("wake") Timer wake, MultiOutputReceiver out) {
      long upTo = firedAt.getMillis();
      DeviceHistory device = history.read();
      if (device == null) {
        device = new DeviceHistory();
      }
      List<DeviceReading> ready = new ArrayList<>();
      List<DeviceReading> later = new ArrayList<>();
      for (DeviceReading r : pending.read()) {
        (r.createdAtMillis() <= upTo ? ready : later).add(r);
      }
      ready.sort(Comparator.comparingLong(DeviceReading::createdAtMillis).thenComparing(DeviceReading::eventId));
      List<DeviceHistory.Finding> findings = new ArrayList<>();
      for (DeviceReading r : ready) {
        findings.addAll(device.accept(r, historySize, silenceMillis));
      }
      findings.addAll(device.reachedTime(upTo, silenceMillis));
      history.write(device);
      pending.clear();
      later.forEach(pending::add);

      long next = Math.min(device.silenceEndsAt(silenceMillis),
          later.stream().mapToLong(DeviceReading::createdAtMillis).min().orElse(Long.MAX_VALUE));
      if (next == Long.MAX_VALUE) {
        wakeAt.clear();
      } else {
        wake.set(Instant.ofEpochMilli(next));
        wakeAt.write(next);
      }
      long detectedAt = System.currentTimeMillis();
      for (DeviceHistory.Finding f : findings) {
        alerts.inc();
        out.get(ALERTS).output(KV.of(deviceId, new Alert(deviceId, f.kind(), f.eventId(), f.createdAtMillis(), detectedAt)));
      }
    }
  }
}
