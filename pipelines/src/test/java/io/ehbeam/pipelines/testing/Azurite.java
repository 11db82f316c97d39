package io.ehbeam.pipelines.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;

/**
 * Azurite, the Azure Storage emulator (npm package {@value #PACKAGE}), installed on first use into
 * {@code ~/.cache/ehbeam/} with the machine's npm and started for a test on a free port.
 */
public final class Azurite implements AutoCloseable {
  static final String PACKAGE = "azurite@3.37.0";
  /** Azurite's well-known development account and key (public, documented by Microsoft). */
  public static final String ACCOUNT = "devstoreaccount1";
  static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private final Process process;
  private final int port;

  private Azurite(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  private static boolean npmIsInstalled() throws InterruptedException {
    try {
      Process npm = new ProcessBuilder("npm", "--version").redirectErrorStream(true).start();
      npm.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      return npm.waitFor(60, TimeUnit.SECONDS) && npm.exitValue() == 0;
    } catch (IOException notOnThePath) {
      return false;
    }
  }

  public static Azurite start() throws IOException, InterruptedException {
    // Installed once per machine and version, next to Maven's and npm's caches, not in the clone: a
    // fresh clone then starts it at once instead of spending a minute in npm.
    Path home = Path.of(System.getProperty("user.home"), ".cache", "ehbeam", PACKAGE.replace('@', '-'));
    Path blob = home.resolve("node_modules/.bin/azurite-blob");
    if (!Files.exists(blob)) {
      Assumptions.assumeTrue(npmIsInstalled(), "skipped: npm is not on the PATH, and the Azure Blob Storage tests need it"
          + " to install Azurite, the Azure Storage emulator (install Node.js with npm to run them)");
      Files.createDirectories(home.getParent());
      Path installing = Files.createTempDirectory(home.getParent(), "installing-");
      Process install = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix", installing.toString(), PACKAGE)
          .redirectErrorStream(true).redirectOutput(installing.resolve("npm-install.log").toFile()).start();
      if (!install.waitFor(5, TimeUnit.MINUTES) || install.exitValue() != 0) {
        throw new IOException("npm install " + PACKAGE + " failed; see " + installing.resolve("npm-install.log"));
      }
      // Whole or not at all: an interrupted install is never taken for a finished one.
      try {
        Files.move(installing, home, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException installedMeanwhile) {
        // another test JVM finished first: use its copy
      }
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path data = Files.createTempDirectory("azurite-");
    Process process = new ProcessBuilder(List.of(blob.toString(), "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port),
        "--location", data.toString(), "--silent", "--skipApiVersionCheck", "--loose"))
        .redirectErrorStream(true).redirectOutput(data.resolve("azurite.log").toFile()).start();
    Azurite azurite = new Azurite(process, port);
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
      if (!process.isAlive()) {
        throw new IOException("Azurite stopped; its log: " + data.resolve("azurite.log"));
      }
      try (Socket socket = new Socket("127.0.0.1", port)) {
        return true;
      } catch (IOException notYet) {
        return false;
      }
    });
    return azurite;
  }

  public String connectionString() {
    return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY
        + ";BlobEndpoint=http://127.0.0.1:" + port + "/" + ACCOUNT + ";";
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
