package io.ehbeam.pipelines.common;

import io.ehbeam.transforms.io.HubAdmin.HubException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code <command> [--option=value ...]}: picks a command by name, prints {@code --help} from its
 * options interface, turns failures into one clear line (stack traces with {@code --verbose}) and
 * returns the exit code: 0 done, 1 failed, 2 a usage error. The jobs' entry point ({@code Main}, in
 * every runner's jar) and the developer tools' ({@code Tools}) are each one of these.
 */
public final class CommandLine {
  /** What a command does with its arguments (the command's name removed); returns the exit code. */
  @FunctionalInterface
  public interface Body {
    int run(String[] args) throws Exception;
  }

  /** A command: its one-line summary, options interface (for --help, may be null) and body. */
  public record Command(String summary, Class<? extends PipelineOptions> options, Body body) {}

  private final Map<String, Map<String, Command>> sections = new LinkedHashMap<>();
  private final Map<String, Command> commands = new LinkedHashMap<>();
  private final String footer;

  /** @param footer printed under the list of commands by {@code --help} */
  public CommandLine(String footer) {
    this.footer = footer;
  }

  /** Adds a command, listed by {@code --help} under {@code section}. */
  public CommandLine add(String section, String name, Command command) {
    sections.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(name, command);
    commands.put(name, command);
    return this;
  }

  /** Lists commands under {@code section} that another entry point runs ({@code body} says where). */
  public CommandLine list(String section, Map<String, String> summaries, Body body) {
    summaries.forEach((name, summary) ->
        sections.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(name, new Command(summary, null, body)));
    return this;
  }

  public Optional<Command> command(String name) {
    return Optional.ofNullable(commands.get(name));
  }

  /** Every runnable command's name and summary, in the order added. */
  public Map<String, String> summaries() {
    Map<String, String> all = new LinkedHashMap<>();
    commands.forEach((name, c) -> all.put(name, c.summary()));
    return all;
  }

  /** Runs a command; returns the exit code. */
  public int run(String[] rawArgs) {
    List<String> args = new ArrayList<>(Arrays.asList(rawArgs));
    boolean verbose = args.remove("--verbose");
    if (args.isEmpty() || List.of("--help", "help", "-h").contains(args.get(0))) {
      usage();
      return args.isEmpty() ? 2 : 0;
    }
    String name = args.remove(0);
    Command command = commands.get(name);
    if (command == null) {
      command = sections.values().stream().map(s -> s.get(name)).filter(c -> c != null).findFirst().orElse(null);
    }
    if (command == null) {
      System.err.println("error: unknown command '" + name + "'");
      usage();
      return 2;
    }
    if (args.contains("--help") || args.contains("-h")) {
      if (command.options() == null) {
        System.out.println(name + ": " + command.summary());
      } else {
        System.out.println("./run " + name + ": " + command.summary() + "\n");
        PipelineOptionsFactory.printHelp(System.out, command.options());
      }
      return 0;
    }
    try {
      return command.body().run(args.toArray(new String[0]));
    } catch (Exception | LinkageError e) {
      // LinkageError too: a class missing from a jar or a cluster's classpath is a setup fault,
      // one line like the others (the JVM itself is fine, unlike after a VirtualMachineError).
      System.err.println("error: " + withTheOption(describe(e), args));
      if (verbose) {
        e.printStackTrace();
      } else {
        System.err.println("(run again with --verbose for the stack trace)");
      }
      return e instanceof IllegalArgumentException ? 2 : 1;
    }
  }

  /** One line: the most telling message in the cause chain. */
  public static String describe(Throwable e) {
    if (e instanceof HubException || e instanceof IllegalArgumentException && e.getCause() == null) {
      return e.getMessage();
    }
    Throwable t = e instanceof PipelineExecutionException && e.getCause() != null ? e.getCause() : e;
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)) + " (" + root.getClass().getSimpleName() + ")";
  }

  private static final Pattern NOT_ONE_OF = Pattern.compile("'([^']*)' is not one of [^()]*");

  /**
   * A value outside a closed set ({@code Choice}) reaches here through Beam's options parsing and
   * Jackson, which name neither the option nor the words: the line names the option the value was
   * given to, then the allowed values.
   */
  static String withTheOption(String message, List<String> args) {
    Matcher m = NOT_ONE_OF.matcher(message);
    if (!m.find()) {
      return message;
    }
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0 && List.of(arg.substring(eq + 1).split(",")).contains(m.group(1))) {
        return arg.substring(0, eq) + ": " + m.group().trim();
      }
    }
    return m.group().trim();
  }

  private void usage() {
    StringBuilder s = new StringBuilder("Usage: ./run <command> [--option=value ...]\n");
    sections.forEach((title, list) -> {
      s.append('\n').append(title).append(":\n");
      list.forEach((name, c) -> s.append(String.format("  %-21s %s%n", name, c.summary())));
    });
    s.append('\n').append(footer);
    System.out.print(s);
  }
}
