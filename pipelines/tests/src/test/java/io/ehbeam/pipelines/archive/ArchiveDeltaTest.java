package io.ehbeam.pipelines.archive;

import io.ehbeam.pipelines.testing.ArchiveScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code --format=delta} on the DirectRunner: the sample week as a Delta table, read back from its log and files. */
class ArchiveDeltaTest {
  @Test
  void sampleWeekAsADeltaTable() throws Exception {
    Path table = Files.createTempDirectory("ehbeam-delta-");
    ArchiveScenario.sampleWeekAsDelta("direct", table.toString(), () -> table, true, "--runner=DirectRunner");
  }
}
