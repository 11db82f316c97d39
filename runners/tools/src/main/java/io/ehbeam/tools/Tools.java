package io.ehbeam.tools;

import io.ehbeam.localkafka.LocalKafkaCommand;
import io.ehbeam.pipelines.Main;
import io.ehbeam.pipelines.common.CommandLine;
import io.ehbeam.pipelines.common.CommandLine.Command;
import io.ehbeam.transforms.connect.HubOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The developer tools' entry point ({@code ./run <tool>}): the demo, the benchmark, looking at a
 * broker, making data, the local broker. They run jobs only through a runner's jar, in its own JVM,
 * so the production jars carry the jobs alone and nothing here runs a pipeline in-process.
 */
public final class Tools {
  private static final CommandLine.Body ELSEWHERE = args -> {
    throw new IllegalArgumentException("this command runs through ./run, not the tools' entry point");
  };

  private static final Map<String, String> RUN_BY_THE_SCRIPT = new LinkedHashMap<>();

  static {
    RUN_BY_THE_SCRIPT.put("local-flink", "start|stop|status|reset a local Flink session cluster (JobManager and TaskManagers, state in .local/flink)");
    RUN_BY_THE_SCRIPT.put("local-spark", "start|stop|status|reset a local Spark standalone cluster (master and workers, state in .local/spark)");
    RUN_BY_THE_SCRIPT.put("test", "Run the test suite (one shared local broker, all three runners)");
  }

  private static final CommandLine COMMANDS = new CommandLine(
      "Run ./run <command> --help for a command's options. Jobs take Beam's options too,\n"
          + "e.g. --runner=DirectRunner (default) | FlinkRunner | SparkRunner, and run from that runner's jar.\n"
          + "Add --verbose for stack traces.\n")
      .list("Jobs", Main.jobs(), ELSEWHERE)
      .add("Tools", "demo", new Command(
          "Start the local broker, write sample device events, relay them on a runner and show the result",
          Demo.Options.class, Demo::run))
      .add("Tools", "benchmark", new Command(
          "Measure the relay on each runner against a plain Kafka consumer/producer loop (results, table, chart)",
          Benchmark.Options.class, Benchmark::run))
      .add("Tools", "plain-relay", new Command(
          "The benchmark's baseline: plain Kafka consumer/producer loops (a thread per core) doing the relay's stamping",
          PlainKafkaRelay.Options.class, PlainKafkaRelay::run))
      .add("Tools", "topics", new Command(
          "List topics with their partitions and message counts per partition",
          Topics.Options.class, Topics::run))
      .add("Tools", "peek", new Command(
          "Print records of a topic: key, partition, offset, timestamp, headers, value",
          Peek.Options.class, Peek::run))
      .add("Tools", "generate-temperatures", new Command(
          "Write a year of plausible hourly temperatures for the location master's cities, in both forms the temperature replay reads",
          GenerateTemperatures.Options.class, GenerateTemperatures::run))
      .add("Local services and the project", "local-kafka", new Command(
          "start|stop|status|reset|connection-string the local Apache Kafka broker (KRaft, state in .local/kafka)",
          null, LocalKafkaCommand::run))
      .list("Local services and the project", RUN_BY_THE_SCRIPT, ELSEWHERE);

  private Tools() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * A tool's options, parsed strictly (unknown options and wrong values refused). Not Beam's
   * {@code withValidation()}: it asks for a runner, and the tools run no pipeline in this JVM.
   */
  static <T extends PipelineOptions> T options(String[] args, Class<T> options) {
    return PipelineOptionsFactory.fromArgs(args).as(options);
  }

  /** Runs a tool; returns the exit code. */
  public static int run(String[] args) {
    return COMMANDS.run(args);
  }
}
