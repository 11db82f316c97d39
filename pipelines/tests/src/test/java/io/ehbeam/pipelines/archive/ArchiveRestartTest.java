package io.ehbeam.pipelines.archive;

import io.ehbeam.pipelines.testing.ArchiveKillRestart;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ArchiveKillRestart} on the DirectRunner: SIGKILL mid-stream, restart, every event in the files once. */
class ArchiveRestartTest {
  @Test
  void killedAndRestartedArchiveHoldsEveryEventOnce() throws Exception {
    ArchiveKillRestart.verify(List.of(), List.of());
  }

  @Test
  void killedAndRestartedCaptureArchiveHoldsEveryEventOnce() throws Exception {
    ArchiveKillRestart.verify(List.of(), List.of(), ArchiveKillRestart.Output.CAPTURE);
  }

  @Test
  void killedAndRestartedDeltaArchiveHoldsEveryEventOnce() throws Exception {
    ArchiveKillRestart.verify(List.of(), List.of(), ArchiveKillRestart.Output.DELTA);
  }
}
