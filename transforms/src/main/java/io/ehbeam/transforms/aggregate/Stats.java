package io.ehbeam.transforms.aggregate;

import java.io.Serializable;
import java.util.HashSet;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Count, min, max and mean of a group's values (and how many distinct sources sent them), combined
 * incrementally: Beam merges partial accumulators, the raw values are never grouped.
 */
public final class Stats implements Serializable {
  private static final long serialVersionUID = 1L;

  public long count;
  public double min = Double.POSITIVE_INFINITY;
  public double max = Double.NEGATIVE_INFINITY;
  public double sum;
  /** Distinct sources; only filled when sources are counted (a device per minute: bounded). */
  public Set<String> sources = new HashSet<>();

  public double mean() {
    return count == 0 ? Double.NaN : sum / count;
  }

  void add(Measurement m) {
    count++;
    min = Math.min(min, m.value());
    max = Math.max(max, m.value());
    sum += m.value();
    if (m.source() != null) {
      sources.add(m.source());
    }
  }

  void merge(Stats other) {
    count += other.count;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
    sum += other.sum;
    sources.addAll(other.sources);
  }

  /** The combiner. */
  public static final class Fn extends Combine.CombineFn<Measurement, Stats, Stats> {
    @Override
    public Stats createAccumulator() {
      return new Stats();
    }

    @Override
    public Stats addInput(Stats acc, Measurement input) {
      acc.add(input);
      return acc;
    }

    @Override
    public Stats mergeAccumulators(Iterable<Stats> accumulators) {
      Stats merged = new Stats();
      accumulators.forEach(merged::merge);
      return merged;
    }

    @Override
    public Stats extractOutput(Stats acc) {
      return acc;
    }

    @Override
    public Coder<Stats> getAccumulatorCoder(CoderRegistry registry, Coder<Measurement> inputCoder) {
      return SerializableCoder.of(Stats.class);
    }

    @Override
    public Coder<Stats> getDefaultOutputCoder(CoderRegistry registry, Coder<Measurement> inputCoder) {
      return SerializableCoder.of(Stats.class);
    }
  }
}
