package io.ehbeam.pipelines.faults;

import io.ehbeam.pipelines.testing.RelayKillRestart;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RelayKillRestart} on the DirectRunner. */
class RelayKillRestartTest {
  @Test
  void killedAndRestartedTheRelayLosesNothing() throws Exception {
    RelayKillRestart.verify("relay kill -9 and restart", List.of());
  }
}
