package io.ehbeam.pipelines.common;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The rate option of the producing jobs; each job has its own default. */
public interface PacingOptions extends PipelineOptions {
  @Description("Events per second to send, 0 for as fast as possible."
      + " Default: 0 for produce-temperatures, 1000 for simulate-devices.")
  Double getEventsPerSecond();

  void setEventsPerSecond(Double value);
}
