package io.ehbeam.local;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One long-lived local service process (the broker, a Flink JobManager, a Spark worker ...) that
 * outlives the command that started it: its pid in {@code <home>/<name>.pid}, its output in {@code
 * <home>/<name>.log}. Uses the JDK only, so that launchers start in a blink.
 */
public final class LocalProcess {
  private final Path home;
  private final String name;

  public LocalProcess(Path home, String name) {
    this.home = home.toAbsolutePath();
    this.name = name;
  }

  public Path logFile() {
    return home.resolve(name + ".log");
  }

  private Path pidFile() {
    return home.resolve(name + ".pid");
  }

  /** The process, if it is running. */
  public Optional<ProcessHandle> process() {
    if (!Files.exists(pidFile())) {
      return Optional.empty();
    }
    try {
      long pid = Long.parseLong(Files.readString(pidFile()).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Starts the command with its output in the log file and records its pid. */
  public Process start(List<String> command, Map<String, String> environment, boolean stopWithThisJvm) {
    try {
      Files.createDirectories(home);
      Files.deleteIfExists(logFile());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(logFile().toFile())
              .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
      builder.environment().putAll(environment);
      Process process = builder.start();
      Files.writeString(pidFile(), Long.toString(process.pid()));
      if (stopWithThisJvm) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(Duration.ofSeconds(30)), "stop-" + name));
      }
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + name + " in " + home, e);
    }
  }

  /**
   * Waits until {@code ready} holds, failing at once with the log's last lines if the process dies.
   */
  public void awaitReady(String what, BooleanSupplier ready, Instant started, Duration timeout) {
    Instant deadline = started.plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (process().isEmpty()) {
        throw new IllegalStateException(
            what + " exited during start-up; its log " + logFile() + " ends with:\n" + tail(30));
      }
      if (ready.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(100); // polling a log and a port: there is nothing to block on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for " + what, e);
      }
    }
    throw new IllegalStateException(
        what + " did not start within " + timeout.toSeconds() + " s; its log " + logFile() + " ends with:\n" + tail(30));
  }

  /** True once the log holds the line. */
  public boolean logContains(String text) {
    try {
      return Files.exists(logFile()) && Files.readString(logFile(), StandardCharsets.ISO_8859_1).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the process: politely (SIGTERM) first, forcibly after the timeout. */
  public void stop(Duration timeout) {
    Optional<ProcessHandle> process = process();
    if (process.isPresent()) {
      ProcessHandle handle = process.get();
      handle.destroy();
      try {
        handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        handle.destroyForcibly();
        handle.onExit().join();
      }
    }
    try {
      Files.deleteIfExists(pidFile());
    } catch (IOException e) {
      // a stale pid file is ignored on the next start anyway
    }
  }

  /** The last lines of the log. */
  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile(), StandardCharsets.ISO_8859_1);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /** True when something accepts connections on the loopback port. */
  public static boolean answers(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("localhost", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A free port on the loopback interface. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * A classpath Maven resolved when the launcher's module was built, kept as a resource next to
   * {@code anchor} (so that the service's libraries never meet the pipelines' in one JVM).
   */
  public static String classpath(Class<?> anchor, String resource, String module) {
    try (InputStream in = anchor.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing: build " + module + " with Maven");
      }
      String classpath = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      String first = classpath.split(File.pathSeparator)[0];
      if (!Files.exists(Path.of(first))) {
        throw new IllegalStateException(
            "The jars of " + module + " are not in the local Maven repository (" + first + "); build it again");
      }
      return classpath;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static File nullDevice() {
    return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
