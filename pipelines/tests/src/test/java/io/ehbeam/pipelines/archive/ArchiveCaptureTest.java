package io.ehbeam.pipelines.archive;

import io.ehbeam.pipelines.testing.CaptureScenario;
import org.junit.jupiter.api.Test;

/** {@link CaptureScenario} on the DirectRunner: Event Hubs Capture's files, read back as Capture readers do. */
class ArchiveCaptureTest {
  @Test
  void writesWhatEventHubsCaptureWritesForEveryKindOfRecord() throws Exception {
    CaptureScenario.verify("direct");
  }
}
