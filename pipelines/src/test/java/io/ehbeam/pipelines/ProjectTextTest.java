package io.ehbeam.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.pipelines.common.ProjectFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What users read (code, --help, docs, deployment files) names things by what they are. */
class ProjectTextTest {
  private static final Set<String> SKIPPED = Set.of(".git", ".local", "target", "node_modules");
  private static final Pattern TEXT = Pattern.compile(".*\\.(java|md|json|ya?ml|sh|xml|properties|txt)$|^run$|^LICENSE$");
  /** The internal names of the documents this project grew from, which users never saw. */
  private static final Pattern INTERNAL_NAMES = Pattern.compile(
      "(?i)\\bseeds?\\s+0\\d\\d\\b|\\bseed" + " document|shared/" + "seeds");

  @Test
  void noFileNamesTheDocumentsThisProjectGrewFrom() throws IOException {
    List<String> found = new ArrayList<>();
    for (Path file : textFiles()) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        if (INTERNAL_NAMES.matcher(lines.get(i)).find()) {
          found.add(ProjectFiles.home().relativize(file) + ":" + (i + 1) + ": " + lines.get(i).trim());
        }
      }
    }
    assertThat(found).isEmpty();
  }

  static List<Path> textFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> all = Files.walk(ProjectFiles.home())) {
      all.filter(Files::isRegularFile)
          .filter(f -> ProjectFiles.home().relativize(f).toString().split("[/\\\\]").length > 0)
          .filter(f -> {
            for (Path part : ProjectFiles.home().relativize(f)) {
              if (SKIPPED.contains(part.toString())) {
                return false;
              }
            }
            return TEXT.matcher(f.getFileName().toString()).matches();
          })
          .forEach(files::add);
    }
    assertThat(files).as("text files of the project").hasSizeGreaterThan(50);
    return files;
  }
}
