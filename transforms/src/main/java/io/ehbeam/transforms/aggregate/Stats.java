package io.ehbeam.transforms.aggregate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.HashSet;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;
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

  /** Field by field, like {@link Measurement#CODER}: partial accumulators cross the shuffle. */
  public static final Coder<Stats> CODER = new CustomCoder<>() {
    @Override
    public void encode(Stats stats, OutputStream out) throws IOException {
      VarInt.encode(stats.count, out);
      DoubleCoder.of().encode(stats.min, out);
      DoubleCoder.of().encode(stats.max, out);
      DoubleCoder.of().encode(stats.sum, out);
      VarInt.encode(stats.sources.size(), out);
      for (String source : stats.sources) {
        StringUtf8Coder.of().encode(source, out);
      }
    }

    @Override
    public Stats decode(InputStream in) throws IOException {
      Stats stats = new Stats();
      stats.count = VarInt.decodeLong(in);
      stats.min = DoubleCoder.of().decode(in);
      stats.max = DoubleCoder.of().decode(in);
      stats.sum = DoubleCoder.of().decode(in);
      int sources = VarInt.decodeInt(in);
      for (int i = 0; i < sources; i++) {
        stats.sources.add(StringUtf8Coder.of().decode(in));
      }
      return stats;
    }
  };

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
      return CODER;
    }

    @Override
    public Coder<Stats> getDefaultOutputCoder(CoderRegistry registry, Coder<Measurement> inputCoder) {
      return CODER;
    }
  }
}
