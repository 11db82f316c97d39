package io.ehbeam.pipelines;

import io.ehbeam.localkafka.LocalKafkaCommand;
import io.ehbeam.pipelines.aggregate.AggregatePipeline;
import io.ehbeam.pipelines.archive.ArchivePipeline;
import io.ehbeam.pipelines.common.RunnerDefaults;
import io.ehbeam.pipelines.produce.ProduceTemperatures;
import io.ehbeam.pipelines.produce.SimulateDevices;
import io.ehbeam.pipelines.relay.RelayPipeline;
import io.ehbeam.pipelines.tools.GenerateTemperatures;
import io.ehbeam.pipelines.tools.Benchmark;
import io.ehbeam.pipelines.tools.Demo;
import io.ehbeam.pipelines.tools.PlainKafkaRelay;
import io.ehbeam.pipelines.tools.Peek;
import io.ehbeam.pipelines.tools.Topics;
import io.ehbeam.transforms.io.HubAdmin.HubException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The one entry point of every runner's jar: {@code <command> [--option=value ...]}. Picks the job
 * or tool by name, turns failures into one clear line (stack traces with {@code --verbose}), and
 * returns a non-zero exit code when something went wrong.
 */
public final class Main {
  /** A command: its one-line summary, options interface (for --help) and body. */
  private static final class Command {
    final String summary;
    final Class<? extends PipelineOptions> options;
    final Body body;
    final boolean pipeline;

    Command(String summary, Class<? extends PipelineOptions> options, Body body) {
      this(summary, options, body, false);
    }

    Command(String summary, Class<? extends PipelineOptions> options, Body body, boolean pipeline) {
      this.summary = summary;
      this.options = options;
      this.body = body;
      this.pipeline = pipeline;
    }
  }

  @FunctionalInterface
  private interface Body {
    int run(String[] args) throws Exception;
  }

  private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("demo", new Command(
        "Start the local broker, write sample device events, relay them on a runner and show the result",
        Demo.Options.class, Demo::run));
    COMMANDS.put("relay", pipeline(
        "Relay JSON events from one hub to another, adding enqueuedAt and processedAt",
        RelayPipeline.Options.class, RelayPipeline::run));
    COMMANDS.put("produce-temperatures", pipeline(
        "Replay hourly city temperatures (Open-Meteo documents or JSON lines) into a hub, joined with the location master",
        ProduceTemperatures.Options.class, ProduceTemperatures::run));
    COMMANDS.put("simulate-devices", pipeline(
        "Simulate IoT devices sending ~1 KB JSON events at a sustained rate, with duplicates (load generator)",
        SimulateDevices.Options.class, SimulateDevices::run));
    COMMANDS.put("aggregate", pipeline(
        "Count, min, max and mean per city and month (or day, hour; or per device type and minute), in event time",
        AggregatePipeline.Options.class, AggregatePipeline::run));
    COMMANDS.put("archive", pipeline(
        "Land a hub's events as JSON lines, Parquet or Avro files, windowed, partitioned by event time",
        ArchivePipeline.Options.class, ArchivePipeline::run));
    COMMANDS.put("generate-temperatures", new Command(
        "Write a year of plausible hourly temperatures for the location master's cities, in both forms the temperature experiment used",
        GenerateTemperatures.Options.class, GenerateTemperatures::run));
    COMMANDS.put("benchmark", new Command(
        "Measure the relay on each runner against a plain Kafka consumer/producer loop (results, table, chart)",
        Benchmark.Options.class, Benchmark::run));
    COMMANDS.put("plain-relay", new Command(
        "The benchmark's baseline: a plain Kafka consumer/producer loop doing the relay's stamping",
        io.ehbeam.transforms.connect.HubOptions.class, PlainKafkaRelay::run));
    COMMANDS.put("topics", new Command(
        "List topics with their partitions and message counts per partition",
        Topics.Options.class, Topics::run));
    COMMANDS.put("peek", new Command(
        "Print records of a topic: key, partition, offset, timestamp, headers, value",
        Peek.Options.class, Peek::run));
    COMMANDS.put("local-kafka", new Command(
        "start|stop|status|reset the local Apache Kafka broker (KRaft, state in .local/kafka)",
        null, LocalKafkaCommand::run));
  }

  private Main() {}

  /** A pipeline command: parse and validate its options, run it to its end, exit 0 when it is DONE. */
  private static <O extends PipelineOptions> Command pipeline(
      String summary, Class<O> options, java.util.function.Function<O, io.ehbeam.pipelines.common.Jobs.Outcome> job) {
    return new Command(summary, options, args -> {
      RunnerDefaults.refuseSecretsTheWorkersCannotReach(args, loadedByFlink());
      return exitCode(job.apply(
          PipelineOptionsFactory.fromArgs(RunnerDefaults.apply(args)).withValidation().as(options)));
    }, true);
  }

  public static void main(String[] args) {
    int code = run(args);
    if (loadedByFlink()) {
      // Flink's application mode (AKS) runs main() inside the JobManager: exiting would take the
      // JobManager down. Flink marks the application failed when main() throws.
      if (code != 0) {
        throw new IllegalStateException("the command ended with exit code " + code + " (see the lines above)");
      }
      return;
    }
    System.exit(code);
  }

  /** True when a Flink cluster loaded this jar as user code (application mode, a submitted jar). */
  static boolean loadedByFlink() {
    return Main.class.getClassLoader().getClass().getName().startsWith("org.apache.flink.");
  }

  /** The options interface of a command, if it has one: what deployment files' arguments are checked against. */
  public static java.util.Optional<Class<? extends PipelineOptions>> optionsOf(String command) {
    return java.util.Optional.ofNullable(COMMANDS.get(command)).map(c -> c.options);
  }

  /** True for the commands that run a Beam pipeline on a runner. */
  public static boolean isPipeline(String command) {
    Command c = COMMANDS.get(command);
    return c != null && c.pipeline;
  }

  static int exitCode(io.ehbeam.pipelines.common.Jobs.Outcome outcome) {
    // RUNNING: submitted detached (Flink's --attachedMode=false), the cluster runs it.
    return outcome.state == org.apache.beam.sdk.PipelineResult.State.DONE
        || outcome.state == org.apache.beam.sdk.PipelineResult.State.RUNNING ? 0 : 1;
  }

  /** Runs a command; returns the exit code. */
  public static int run(String[] rawArgs) {
    List<String> args = new ArrayList<>(Arrays.asList(rawArgs));
    boolean verbose = args.remove("--verbose");
    if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("help") || args.get(0).equals("-h")) {
      usage();
      return args.isEmpty() ? 2 : 0;
    }
    String name = args.remove(0);
    Command command = COMMANDS.get(name);
    if (command == null) {
      System.err.println("error: unknown command '" + name + "'");
      usage();
      return 2;
    }
    if (args.contains("--help") || args.contains("-h")) {
      if (command.options == null) {
        System.out.println(name + ": " + command.summary);
      } else {
        System.out.println("./run " + name + ": " + command.summary + "\n");
        PipelineOptionsFactory.printHelp(System.out, command.options);
      }
      return 0;
    }
    try {
      return command.body.run(args.toArray(new String[0]));
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
  static String describe(Throwable e) {
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

  private static final java.util.regex.Pattern NOT_ONE_OF =
      java.util.regex.Pattern.compile("'([^']*)' is not one of [^()]*");

  /**
   * A value outside a closed set ({@code Choice}) reaches here through Beam's options parsing and
   * Jackson, which name neither the option nor the words: the line names the option the value was
   * given to, then the allowed values.
   */
  static String withTheOption(String message, List<String> args) {
    java.util.regex.Matcher m = NOT_ONE_OF.matcher(message);
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

  private static void usage() {
    StringBuilder s = new StringBuilder("Usage: ./run <command> [--option=value ...]\n\nCommands:\n");
    COMMANDS.forEach((name, c) -> s.append(String.format("  %-14s %s%n", name, c.summary)));
    s.append(String.format("  %-14s %s%n", "test", "Run the test suite (one shared local broker, all three runners)"));
    s.append("\nRun ./run <command> --help for a command's options. Pipelines take Beam's options too,\n"
        + "e.g. --runner=DirectRunner (default) | FlinkRunner | SparkRunner. Add --verbose for stack traces.\n");
    System.out.print(s);
  }
}
