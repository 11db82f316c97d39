package io.ehbeam.transforms.produce;

import io.ehbeam.transforms.model.TemperatureReading;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Replays readings in time order at a controlled pace: at most {@code eventsPerSecond} (0: no limit)
 * and event time {@code speedUp} times faster than real time (0: no limit); with both, the slower
 * wins. Pacing is global, so the readings meet in one place first: fine for hourly temperatures (a
 * year of six cities is 52,560 readings), not meant for unbounded volumes.
 */
public final class PaceReadings extends PTransform<PCollection<TemperatureReading>, PCollection<TemperatureReading>> {
  private final double eventsPerSecond;
  private final double speedUp;

  public PaceReadings(double eventsPerSecond, double speedUp) {
    if (eventsPerSecond < 0 || speedUp < 0) {
      throw new IllegalArgumentException("--eventsPerSecond and --speedUp must be 0 (no limit) or positive");
    }
    this.eventsPerSecond = eventsPerSecond;
    this.speedUp = speedUp;
  }

  public boolean isPaced() {
    return eventsPerSecond > 0 || speedUp > 0;
  }

  @Override
  public PCollection<TemperatureReading> expand(PCollection<TemperatureReading> readings) {
    if (!isPaced()) {
      return readings;
    }
    return readings
        .apply("AllTogether", WithKeys.of(0))
        .setCoder(org.apache.beam.sdk.coders.KvCoder.of(org.apache.beam.sdk.coders.VarIntCoder.of(), readings.getCoder()))
        .apply("Gather", GroupByKey.create())
        .apply("EmitInTimeOrder", ParDo.of(new Emit(eventsPerSecond, speedUp)))
        .setCoder(TemperatureReading.CODER);
  }

  static final class Emit extends DoFn<KV<Integer, Iterable<TemperatureReading>>, TemperatureReading> {
    private final double eventsPerSecond;
    private final double speedUp;

    Emit(double eventsPerSecond, double speedUp) {
      this.eventsPerSecond = eventsPerSecond;
      this.speedUp = speedUp;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<TemperatureReading>> all, OutputReceiver<TemperatureReading> out)
        throws InterruptedException {
      List<TemperatureReading> sorted = new ArrayList<>();
      all.getValue().forEach(sorted::add);
      sorted.sort(Comparator.comparingLong(TemperatureReading::epochMillis).thenComparing(r -> r.city == null ? "" : r.city));
      if (sorted.isEmpty()) {
        return;
      }
      long start = System.nanoTime();
      long firstEventMillis = sorted.get(0).epochMillis();
      for (int i = 0; i < sorted.size(); i++) {
        TemperatureReading r = sorted.get(i);
        long dueNanos = 0;
        if (eventsPerSecond > 0) {
          dueNanos = Math.max(dueNanos, (long) (i / eventsPerSecond * 1e9));
        }
        if (speedUp > 0) {
          dueNanos = Math.max(dueNanos, (long) ((r.epochMillis() - firstEventMillis) * 1e6 / speedUp));
        }
        long waitNanos = start + dueNanos - System.nanoTime();
        if (waitNanos > 0) {
          // Pacing is the point here: the next event is not due yet.
          Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        }
        out.output(r);
      }
    }
  }
}
