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
      "(?i)\\bs[e]{2}ds?\\s+0\\d\\d\\b|\\bs[e]{2}d document|shared/s[e]{2}ds");

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

  /** Markdown links: [text](target) and ![alt](target), not inside code. */
  private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

  @Test
  void everyLinkInTheDocsLeadsToAFileAndHeadingThatExist() throws IOException {
    List<String> broken = new ArrayList<>();
    int links = 0;
    for (Path page : textFiles()) {
      if (!page.toString().endsWith(".md")) {
        continue;
      }
      for (String target : linksIn(Files.readString(page, StandardCharsets.UTF_8))) {
        if (target.matches("^[a-z]+:.*")) {
          continue; // https:, mailto: ...: not checked from here (no network)
        }
        links++;
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!Files.exists(resolved)) {
          broken.add(ProjectFiles.home().relativize(page) + " -> " + target + ": no such file");
        } else if (hash >= 0 && resolved.toString().endsWith(".md")
            && !headingSlugs(Files.readString(resolved, StandardCharsets.UTF_8)).contains(target.substring(hash + 1))) {
          broken.add(ProjectFiles.home().relativize(page) + " -> " + target + ": no such heading");
        }
      }
    }
    assertThat(broken).isEmpty();
    assertThat(links).as("links checked").isGreaterThan(20);
  }

  @Test
  void theReadmeIsAFrontDoor() throws IOException {
    String readme = Files.readString(ProjectFiles.home().resolve("README.md"), StandardCharsets.UTF_8);
    assertThat(readme.length()).as("README.md characters").isLessThanOrEqualTo(20_000);
    assertThat(readme).contains("./run demo", "./run test", "## Documentation", "LICENSE");
    assertThat(ProjectFiles.home().resolve("LICENSE")).content().contains("Apache License", "Version 2.0");
  }

  static List<String> linksIn(String markdown) {
    List<String> targets = new ArrayList<>();
    boolean fenced = false;
    for (String line : markdown.split("\n")) {
      if (line.startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      if (fenced) {
        continue;
      }
      var m = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
      while (m.find()) {
        targets.add(m.group(1));
      }
    }
    return targets;
  }

  /** Anchors as GitHub makes them from headings: lower case, punctuation dropped, spaces as hyphens. */
  static Set<String> headingSlugs(String markdown) {
    Set<String> slugs = new java.util.HashSet<>();
    boolean fenced = false;
    for (String line : markdown.split("\n")) {
      if (line.startsWith("```")) {
        fenced = !fenced;
      } else if (!fenced && line.startsWith("#")) {
        String text = line.replaceFirst("^#+\\s*", "").toLowerCase(java.util.Locale.ROOT);
        slugs.add(text.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
      }
    }
    return slugs;
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
