package io.ehbeam.transforms.simulate;

import io.ehbeam.transforms.model.DeviceEvent;
import io.ehbeam.transforms.relay.StampEvents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Seed 004's load client as a Beam source: a sequence (Beam's {@link GenerateSequence}, bounded by
 * a count and/or a duration, paced at a rate) turned into device events keyed by device id. Each
 * event is made from its sequence number alone, so the source splits across workers freely.
 *
 * <p>Every {@code duplicateEvery}-th record re-sends the event before it (same eventId, device and
 * values; its createdAt is when it was re-sent): {@code count / duplicateEvery} duplicates exactly.
 */
public final class GenerateDeviceEvents extends PTransform<PBegin, PCollection<KV<byte[], byte[]>>> {
  public static final String GENERATED = "generated";
  public static final String DUPLICATES = "duplicates";

  private final long runId;
  private final int devices;
  private final String devicePrefix;
  private final long eventsPerSecond;
  private final long count;
  private final long durationSeconds;
  private final long duplicateEvery;

  /**
   * @param eventsPerSecond 0 for as fast as possible
   * @param count records to write (duplicates included), 0 for no limit
   * @param durationSeconds how long to run (at {@code eventsPerSecond}), 0 for no limit
   * @param duplicateEvery re-send every N-th event, 0 for never
   */
  public GenerateDeviceEvents(long runId, int devices, String devicePrefix, long eventsPerSecond,
      long count, long durationSeconds, long duplicateEvery) {
    if (devices < 1) {
      throw new IllegalArgumentException("--devices must be at least 1");
    }
    if (eventsPerSecond < 0 || count < 0 || durationSeconds < 0 || duplicateEvery < 0) {
      throw new IllegalArgumentException("--eventsPerSecond, --count, --durationSeconds and --duplicateEvery cannot be negative");
    }
    if (eventsPerSecond == 0 && count == 0) {
      // Unpaced and unbounded, a source outruns the writer and fills the memory (seen on the
      // DirectRunner: 6.6 GB in seconds). Full speed is for a known amount of events.
      throw new IllegalArgumentException("At full speed (--eventsPerSecond=0) give --count; a duration needs a rate");
    }
    if (duplicateEvery == 1) {
      throw new IllegalArgumentException("--duplicateEvery=1 would re-send an event that was never sent; use 2 or more, or 0");
    }
    this.runId = runId;
    this.devices = devices;
    this.devicePrefix = devicePrefix;
    this.eventsPerSecond = eventsPerSecond;
    this.count = count;
    this.durationSeconds = durationSeconds;
    this.duplicateEvery = duplicateEvery;
  }

  @Override
  public PCollection<KV<byte[], byte[]>> expand(PBegin input) {
    GenerateSequence sequence = GenerateSequence.from(0);
    // At a set rate a duration is a count: a count bounds the read exactly, where a read time limit
    // on a rate-limited source was seen to hang the DirectRunner for minutes after the time was up.
    long limit = count;
    if (durationSeconds > 0 && eventsPerSecond > 0) {
      long byDuration = durationSeconds * eventsPerSecond;
      limit = limit > 0 ? Math.min(limit, byDuration) : byDuration;
    }
    if (limit > 0) {
      sequence = sequence.to(limit);
    }
    if (eventsPerSecond > 0) {
      sequence = sequence.withRate(eventsPerSecond, Duration.standardSeconds(1));
    }
    return input
        .apply("Sequence", sequence)
        .apply("MakeDeviceEvents", ParDo.of(new MakeEvent(runId, devices, devicePrefix, duplicateEvery)))
        .setCoder(StampEvents.eventCoder());
  }

  /** Is record {@code i} a re-send of record {@code i - 1}? */
  public static boolean isDuplicate(long i, long duplicateEvery) {
    return duplicateEvery > 1 && (i + 1) % duplicateEvery == 0;
  }

  static final class MakeEvent extends DoFn<Long, KV<byte[], byte[]>> {
    private final long runId;
    private final int devices;
    private final String devicePrefix;
    private final long duplicateEvery;
    private final Counter generated = Metrics.counter("ehbeam", GENERATED);
    private final Counter duplicates = Metrics.counter("ehbeam", DUPLICATES);

    MakeEvent(long runId, int devices, String devicePrefix, long duplicateEvery) {
      this.runId = runId;
      this.devices = devices;
      this.devicePrefix = devicePrefix;
      this.duplicateEvery = duplicateEvery;
    }

    @ProcessElement
    public void process(@Element Long i, OutputReceiver<KV<byte[], byte[]>> out) {
      boolean duplicate = isDuplicate(i, duplicateEvery);
      DeviceEvent event = DeviceEvent.of(runId, duplicate ? i - 1 : i, devices, devicePrefix, Instant.now());
      generated.inc();
      if (duplicate) {
        duplicates.inc();
      }
      out.output(KV.of(event.deviceId.getBytes(StandardCharsets.UTF_8), event.toJson()));
    }
  }
}
