package io.ehbeam.tools;

import io.ehbeam.pipelines.common.ProjectFiles;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Runs a job in a runner's own jar, in its own JVM, as {@code ./run} starts it: the tools carry no
 * runner, so the demo and the benchmark measure and show exactly what users run.
 */
final class RunnerJars {
  private RunnerJars() {}

  /** The jar module of a runner given as {@code direct|flink|spark} or Beam's class name. */
  static String module(String runner) {
    String r = runner.trim().toLowerCase(Locale.ROOT);
    return switch (r) {
      case "", "direct", "directrunner" -> "direct";
      case "flink", "flinkrunner" -> "flink";
      case "spark", "sparkrunner" -> "spark";
      default -> throw new IllegalArgumentException(
          "unknown runner '" + runner + "' (DirectRunner, FlinkRunner or SparkRunner)");
    };
  }

  /** Beam's {@code --runner=} value of a jar module. */
  static String runnerOption(String module) {
    return Character.toUpperCase(module.charAt(0)) + module.substring(1) + "Runner";
  }

  /** {@code java <runner's JVM flags> -cp <runner's jar>[:provided] io.ehbeam.pipelines.Main}. */
  static List<String> command(String module) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java());
    String flags = jvmFlags(module);
    if (!flags.isBlank()) {
      command.addAll(Arrays.asList(flags.trim().split("\\s+")));
    }
    // As ./run: the Flink and Spark jars leave out what a cluster supplies; Maven's copies supply it.
    Path target = ProjectFiles.home().resolve("runners/" + module + "/target");
    Path jar = target.resolve("ehbeam-" + module + ".jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException("The " + module + " runner's jar is not built: " + jar
          + " (./run builds it; or mvn install -DskipTests -pl runners/" + module + " -am)");
    }
    String classpath = jar.toString();
    Path provided = target.resolve("provided.classpath");
    if (Files.exists(provided)) {
      classpath += File.pathSeparator + Files.readString(provided).trim();
    }
    command.addAll(List.of("-Dehbeam.home=" + ProjectFiles.home(), "-cp", classpath, "io.ehbeam.pipelines.Main"));
    return command;
  }

  /** {@code java -cp <this JVM's classpath> io.ehbeam.tools.Tools}: a tool in its own JVM (the baseline loop). */
  static List<String> toolCommand() {
    return new ArrayList<>(List.of(java(), "-Dehbeam.home=" + ProjectFiles.home(),
        "-cp", System.getProperty("java.class.path"), Tools.class.getName()));
  }

  /** Runs a command to its end, each line of its output shown as it comes; returns exit code and output. */
  static Finished runShowing(List<String> command, PrintStream show) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    StringBuilder output = new StringBuilder();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        show.println(line);
        output.append(line).append('\n');
      }
    }
    return new Finished(process.waitFor(), output.toString());
  }

  record Finished(int exitCode, String output) {}

  /** The runner jar's JVM flags, kept once in the parent pom, as {@code ./run} uses them. */
  static String jvmFlags(String module) throws IOException {
    String pom = Files.readString(ProjectFiles.home().resolve("pom.xml"));
    String open = "<jvm.flags." + module + ">";
    int from = pom.indexOf(open);
    return from < 0 ? "" : pom.substring(from + open.length(), pom.indexOf("</jvm.flags." + module + ">"));
  }

  /** Resident memory of a process, 0 once it has ended. */
  static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // the process just ended, or no /proc here: the last reading stands
    }
    return 0;
  }

  /**
   * CPU time a process has used (user and system, all its threads) from {@code /proc/<pid>/stat},
   * in the kernel's 100 ticks per second; 0 once it has ended or without {@code /proc}.
   */
  static long cpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // after the command name in parentheses: state, ppid, ..., utime (12th), stime (13th)
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
