package io.ehbeam.runners.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.pipelines.common.ProjectFiles;
import io.ehbeam.pipelines.testing.ArchiveKillRestart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link ArchiveKillRestart} on the in-process FlinkRunner with checkpoints every 2 s: its windows
 * are written, checkpoints complete (in files under .local/, not in the JobManager's 5 MB of
 * memory), it is killed with SIGKILL mid-stream, and the restart with the same group leaves every
 * event in the files once.
 */
class ArchiveKillRestartFlinkTest {
  @Test
  void killedAndRestartedOnFlinkWithCheckpointsHoldsEveryEventOnce() throws Exception {
    FileTime started = FileTime.from(Instant.now());
    ArchiveKillRestart.verify(List.of("--runner=FlinkRunner"), List.of("--checkpointingInterval=2000"));

    Path checkpoints = ProjectFiles.home().resolve(".local/flink-checkpoints");
    try (Stream<Path> files = Files.walk(checkpoints)) {
      assertThat(files.filter(f -> f.getFileName().toString().equals("_metadata"))
          .filter(f -> f.toFile().lastModified() >= started.toMillis()))
          .as("checkpoints the killed archive completed, in files under " + checkpoints)
          .isNotEmpty();
    }
  }
}
