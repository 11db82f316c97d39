package io.ehbeam.pipelines.common;

import io.ehbeam.transforms.connect.HubOptions;
import io.ehbeam.transforms.connect.Hubs;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.io.ReadFromHub;
import io.ehbeam.transforms.io.ReadPlan;
import java.util.List;
import io.ehbeam.transforms.deadletter.DeadLetter;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;

/**
 * Runs every job the same way: resolves its hubs, checks the input and creates missing outputs,
 * captures what a {@code --stopAtEnd} run reads, has the job build its pipeline, runs it to its end
 * and reports. A job only says where it reads and writes ({@link Job#endpoints}) and what its
 * pipeline is ({@link Job#build}).
 */
public final class Launcher {
  private Launcher() {}

  /** A job as the launcher runs it. */
  public interface Job<O extends HubOptions> {
    /** The consumer group when {@code --consumerGroup} is not given; null for a job that reads no hub. */
    String defaultConsumerGroup();

    /** Where the job reads (null: nowhere) and writes, from the resolved hubs. */
    Endpoints endpoints(O options, Hubs hubs);

    /** Applies the job's transforms to {@code pipeline}; returns what it produces besides its sinks. */
    Outputs build(Pipeline pipeline, O options, Context context);

    /** One line printed before the job runs (null: none). */
    default String describe(O options, Context context) {
      return null;
    }

    /** Lines printed after it has run, from its counters. */
    default void report(O options, Context context, Jobs.Outcome outcome) {}
  }

  /** Where a job reads and writes. */
  public record Endpoints(KafkaEndpoint input, KafkaEndpoint output, KafkaEndpoint deadLetters) {
    /** Topics created when missing: the output (when it has a topic) and the dead letters. */
    List<KafkaEndpoint> created() {
      List<KafkaEndpoint> created = new java.util.ArrayList<>();
      for (KafkaEndpoint written : java.util.Arrays.asList(output, deadLetters)) {
        if (written != null && written.topic() != null) {
          created.add(written);
        }
      }
      return created;
    }

    /** Reads {@code input}, writes {@code output} (null, or without a topic: no output hub) and dead letters. */
    public static Endpoints of(KafkaEndpoint input, KafkaEndpoint output, KafkaEndpoint deadLetters) {
      return new Endpoints(input, output, deadLetters);
    }

    /** Reads no hub (and writes dead letters when {@code deadLetters} is not null). */
    public static Endpoints writing(KafkaEndpoint output, KafkaEndpoint deadLetters) {
      return new Endpoints(null, output, deadLetters);
    }
  }

  /** What a job's {@code build} gets from the launcher. */
  /** {@code plan}: what a {@code --stopAtEnd} run reads; null when the job streams until stopped. */
  public record Context(Hubs hubs, Endpoints endpoints, ReadPlan plan) {

    /** A streaming job's context without the launcher's checks: for building a job to inspect it. */
    public static Context streaming(Hubs hubs, Endpoints endpoints) {
      return new Context(hubs, endpoints, null);
    }

    /** The input: to the plan's end with {@code --stopAtEnd}, else for as long as the job runs. */
    public ReadFromHub read(ReadOptions options) {
      return plan == null
          ? ReadFromHub.unbounded(endpoints.input, hubs.consumerGroup(), hubs.autoOffsetReset())
          : ReadFromHub.bounded(endpoints.input, hubs.consumerGroup(), plan, options.getPlannedRead());
    }
  }

  /**
   * What a job's pipeline produces, as its sinks receive it: the results (relayed events, records
   * sent, result rows, windows archived) and the dead letters (null for a job that has none, or
   * whose dead letters are among its results as the records their hub gets: the relay). For tests
   * and for composing a job with other transforms.
   */
  public record Outputs(PCollection<?> results, PCollection<DeadLetter> deadLetters) {}

  /** A job's pipeline, built and not yet run. */
  public record Prepared(Pipeline pipeline, Context context, Outputs outputs) {}

  /** Runs {@code job} to its end (a streaming job: until stopped) and reports. */
  public static <O extends HubOptions> Jobs.Outcome run(Job<O> job, O options) {
    Prepared prepared = prepare(job, options);
    String line = job.describe(options, prepared.context);
    if (line != null) {
      System.out.println(line);
    }
    Jobs.Outcome outcome = Jobs.runToEnd(prepared.pipeline, prepared.context.plan, prepared.context.endpoints.input, System.out);
    job.report(options, prepared.context, outcome);
    return outcome;
  }

  /** Everything before the run: hubs, topics, the read plan, the pipeline. */
  public static <O extends HubOptions> Prepared prepare(Job<O> job, O options) {
    Hubs hubs = Hubs.resolve(options, job.defaultConsumerGroup());
    Endpoints endpoints = job.endpoints(options, hubs);
    KafkaEndpoint[] created = endpoints.created().toArray(new KafkaEndpoint[0]);
    ReadPlan plan = null;
    if (endpoints.input != null) {
      Jobs.prepareTopics(options, endpoints.input, created);
      if (options.getStopAtEnd()) {
        plan = ReadPlan.capture(endpoints.input, hubs.consumerGroup(), hubs.autoOffsetReset());
      }
    } else {
      Jobs.prepareOutputs(options, created);
    }
    Context context = new Context(hubs, endpoints, plan);
    Pipeline pipeline = Pipeline.create(options);
    return new Prepared(pipeline, context, job.build(pipeline, options, context));
  }
}
