package io.ehbeam.transforms.aggregate;

import java.io.Serializable;

/** One value to aggregate, and (for the devices preset) who sent it, for the distinct count. */
public final class Measurement implements Serializable {
  private static final long serialVersionUID = 1L;
  public final double value;
  public final String source;

  public Measurement(double value, String source) {
    this.value = value;
    this.source = source;
  }
}
