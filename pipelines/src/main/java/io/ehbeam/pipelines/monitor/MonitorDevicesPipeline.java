package io.ehbeam.pipelines.monitor;

import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.pipelines.common.Launcher;
import io.ehbeam.pipelines.common.ReadOptions;
import io.ehbeam.pipelines.common.RunnerDefaults;
import io.ehbeam.transforms.connect.Hubs;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.deadletter.DeadLetter;
import io.ehbeam.transforms.deadletter.WriteDeadLetters;
import io.ehbeam.transforms.io.EventTime;
import io.ehbeam.transforms.io.WriteToHub;
import io.ehbeam.transforms.monitor.Alert;
import io.ehbeam.transforms.monitor.MonitorDevices;
import io.ehbeam.transforms.relay.StampEvents;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Device monitoring (the streaming-at-scale work's complex-event job): reads device events and
 * writes one JSON alert per finding, keyed by {@code deviceId}, in event time ({@code createdAt}).
 *
 * <pre>
 *   ReadInput (event time: createdAt) ─▶ MonitorDevices ─▶ AsAlertRecords ─▶ WriteOutput
 *                                             └── dead letters ─▶ WriteDeadLetters
 * </pre>
 *
 * <p>Run: {@code ./run monitor-devices} (reads {@code device-events}, writes {@code device-alerts}).
 */
public final class MonitorDevicesPipeline implements Launcher.Job<MonitorDevicesPipeline.Options> {
  public static final String DEFAULT_CONSUMER_GROUP = "monitor-devices-cg";
  public static final String DEFAULT_INPUT = "device-events";
  public static final String DEFAULT_OUTPUT = "device-alerts";

  /** Options of monitor-devices. */
  public interface Options extends ReadOptions {
    @Description("How many of a device's most recent events the patterns look at.")
    @Default.Integer(10)
    int getHistorySize();

    void setHistorySize(int value);

    @Description("A device that sends nothing for this long in event time is reported (no-news); with"
        + " --stopAtEnd=true the end of the input closes every open silence.")
    @Default.Long(45)
    long getSilenceSeconds();

    void setSilenceSeconds(long value);

    @Description("How far out of event-time order a device's events may arrive: the watermark trails the"
        + " newest createdAt by this much; an event older than what its device was already checked up to"
        + " is dead-lettered.")
    @Default.Long(60)
    long getMaxOutOfOrderSeconds();

    void setMaxOutOfOrderSeconds(long value);
  }

  /** Device monitoring, as the launcher runs it. */
  public static final MonitorDevicesPipeline JOB = new MonitorDevicesPipeline();

  private MonitorDevicesPipeline() {}

  public static Jobs.Outcome run(Options options) {
    return Launcher.run(JOB, options);
  }

  @Override
  public String defaultConsumerGroup() {
    return DEFAULT_CONSUMER_GROUP;
  }

  @Override
  public Launcher.Endpoints endpoints(Options options, Hubs hubs) {
    KafkaEndpoint input = hubs.input().topic() != null ? hubs.input() : hubs.input().withTopic(DEFAULT_INPUT);
    KafkaEndpoint output = hubs.outputOr(DEFAULT_OUTPUT);
    return Launcher.Endpoints.of(input, output, Hubs.deadLetterOf(output, options));
  }

  @Override
  public Launcher.Outputs build(Pipeline pipeline, Options options, Launcher.Context context) {
    RunnerDefaults.refuseStreamingTimersOnSpark(options, context.plan() == null, "monitor-devices");
    if (options.getMaxOutOfOrderSeconds() < 0) {
      throw new IllegalArgumentException("--maxOutOfOrderSeconds must be 0 or more, got " + options.getMaxOutOfOrderSeconds());
    }
    PCollectionTuple monitored = pipeline
        .apply("ReadInput", context.read(options).withEventTime(
            EventTime.payload("createdAt", Duration.standardSeconds(options.getMaxOutOfOrderSeconds()))))
        .apply("MonitorDevices", new MonitorDevices(options.getHistorySize(), Duration.standardSeconds(options.getSilenceSeconds())));
    PCollection<KV<String, Alert>> alerts = monitored.get(MonitorDevices.ALERTS);
    alerts
        .apply("AsAlertRecords", MapElements.into(TypeDescriptors.kvs(TypeDescriptor.of(byte[].class), TypeDescriptor.of(byte[].class)))
            .via(a -> KV.of(a.getKey().getBytes(StandardCharsets.UTF_8), a.getValue().toJson())))
        .setCoder(StampEvents.eventCoder())
        .apply("WriteOutput", WriteToHub.of(context.endpoints().output()));
    PCollection<DeadLetter> deadLetters = monitored.get(MonitorDevices.DEAD_LETTERS);
    deadLetters.apply("WriteDeadLetters", new WriteDeadLetters(context.endpoints().deadLetters()));
    return new Launcher.Outputs(alerts, deadLetters);
  }

  @Override
  public String describe(Options options, Launcher.Context context) {
    return String.format("Monitoring devices on %s (last %d events, silence %d s, out of order up to %d s) -> %s%s ...",
        context.endpoints().input(), options.getHistorySize(), options.getSilenceSeconds(),
        options.getMaxOutOfOrderSeconds(), context.endpoints().output(),
        context.plan() == null ? "" : ", to the end of the input (which closes every open silence)");
  }
}
