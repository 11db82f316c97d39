package io.ehbeam.transforms.aggregate;

import java.io.Serializable;

/** One value to aggregate, and (for the devices preset) who sent it, for the distinct count. */
public record Measurement(double value, String source) implements Serializable {
  private static final long serialVersionUID = 1L;
}
