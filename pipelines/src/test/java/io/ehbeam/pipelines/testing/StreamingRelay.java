package io.ehbeam.pipelines.testing;

import io.ehbeam.pipelines.common.Launcher;
import io.ehbeam.pipelines.relay.RelayPipeline;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The relay started in this JVM as {@code ./run relay} starts it (topics checked, dead-letter
 * topic made), unbounded and not waited for: the test drives faults around it, then cancels it.
 */
public final class StreamingRelay {
  private StreamingRelay() {}

  public static PipelineResult start(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    if (all.stream().noneMatch(a -> a.startsWith("--runner=")) || all.contains("--runner=DirectRunner")) {
      all.add("--blockOnRun=false"); // the DirectRunner's; the other runners return from run() anyway
    }
    RelayPipeline.Options options = PipelineOptionsFactory.fromArgs(all.toArray(new String[0])).as(RelayPipeline.Options.class);
    return Launcher.prepare(RelayPipeline.JOB, options).pipeline().run();
  }
}
