package io.ehbeam.pipelines.testing;

import io.ehbeam.pipelines.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A command of {@link Main} in a JVM of its own (the test's classpath), so a test can SIGKILL it. */
public final class OwnJvm {
  private OwnJvm() {}

  /** Starts {@code Main <command> <args>}, its output and errors going to {@code log}. */
  public static Process start(String command, List<String> args, Path log) {
    List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    // The runner's module flags (Spark's --add-opens on Java 17), as this JVM got them.
    for (String flag : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (flag.startsWith("--add-opens") || flag.startsWith("--add-exports")) {
        line.add(flag);
      }
    }
    // The project root, as ./run gives it: where jobs keep local state (.local/).
    if (System.getProperty("ehbeam.home") != null) {
      line.add("-Dehbeam.home=" + System.getProperty("ehbeam.home"));
    }
    line.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), command));
    line.addAll(args);
    try {
      return new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
