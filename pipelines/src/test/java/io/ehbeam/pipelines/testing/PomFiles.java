package io.ehbeam.pipelines.testing;

import io.ehbeam.pipelines.common.ProjectFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values the build sets in its poms, for tests that check deployment files against the build
 * (jar names, versions, JVM flags) instead of repeating them.
 */
public final class PomFiles {
  private PomFiles() {}

  /** The text of the first {@code <element>} in a pom, relative to the project's root. */
  public static String element(String pom, String element) {
    try {
      Matcher m = Pattern.compile("<" + Pattern.quote(element) + ">(.+?)</" + Pattern.quote(element) + ">", Pattern.DOTALL)
          .matcher(Files.readString(ProjectFiles.home().resolve(pom)));
      if (!m.find()) {
        throw new IllegalStateException(pom + " has no <" + element + ">");
      }
      return m.group(1).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file name of a runner module's shaded jar, e.g. ehbeam-flink.jar for runners/flink. */
  public static String shadedJarName(String module) {
    return element(module + "/pom.xml", "finalName") + ".jar";
  }
}
