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
 * The streaming-at-scale sample's load client as a Beam source: a sequence (Beam's {@link GenerateSequence}, bounded by
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
    // At a set rate a duration is a count. A known count is a bounded sequence paced by MakeEvent
    // (each record waits for its due time): Beam's own rate limit on a bounded sequence was seen on
    // the DirectRunner to burst far past the rate and then stall for minutes. Without any limit,
    // the unbounded sequence paces itself.
    long limit = count;
    if (durationSeconds > 0 && eventsPerSecond > 0) {
      long byDuration = durationSeconds * eventsPerSecond;
      limit = limit > 0 ? Math.min(limit, byDuration) : byDuration;
    }
    GenerateSequence sequence = GenerateSequence.from(0);
    long pacedRate = 0;
    if (limit > 0) {
      sequence = sequence.to(limit);
      pacedRate = eventsPerSecond;
    } else {
      sequence = sequence.withRate(eventsPerSecond, Duration.standardSeconds(1));
    }
    return input
        .apply("Sequence", sequence)
        .apply("MakeDeviceEvents", ParDo.of(new MakeEvent(runId, devices, devicePrefix, duplicateEvery, pacedRate)))
        .setCoder(StampEvents.eventCoder());
  }

  /**
   * Record {@code i} is due {@code i / rate} seconds after this worker JVM's first record: every
   * worker shares one clock start, so the sequence's splits together keep the rate.
   */
  static final class Pace {
    private static final java.util.concurrent.atomic.AtomicLong START_NANOS = new java.util.concurrent.atomic.AtomicLong();

    static void awaitTurn(long i, long eventsPerSecond) throws InterruptedException {
      START_NANOS.compareAndSet(0, System.nanoTime());
      long due = START_NANOS.get() + (long) (i * (1e9 / eventsPerSecond));
      long wait = due - System.nanoTime();
      if (wait > 1_000_000) {
        // Pacing is the point: this record is not due yet.
        Thread.sleep(wait / 1_000_000);
      }
    }
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
    private final long eventsPerSecond;
    private final Counter generated = Metrics.counter("ehbeam", GENERATED);
    private final Counter duplicates = Metrics.counter("ehbeam", DUPLICATES);

    MakeEvent(long runId, int devices, String devicePrefix, long duplicateEvery, long eventsPerSecond) {
      this.runId = runId;
      this.devices = devices;
      this.devicePrefix = devicePrefix;
      this.duplicateEvery = duplicateEvery;
      this.eventsPerSecond = eventsPerSecond;
    }

    @ProcessElement
    public void process(@Element Long i, OutputReceiver<KV<byte[], byte[]>> out) throws InterruptedException {
      if (eventsPerSecond > 0) {
        Pace.awaitTurn(i, eventsPerSecond);
      }
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
