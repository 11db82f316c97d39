package io.ehbeam.pipelines.produce;

import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.pipelines.common.Launcher;
import io.ehbeam.pipelines.common.PacingOptions;
import io.ehbeam.transforms.connect.HubOptions;
import io.ehbeam.transforms.connect.Hubs;
import io.ehbeam.transforms.io.Progress;
import io.ehbeam.transforms.io.WriteToHub;
import io.ehbeam.transforms.model.DeviceEvent;
import io.ehbeam.transforms.simulate.GenerateDeviceEvents;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.KV;

/**
 * The streaming-at-scale sample's load client: simulated IoT devices sending about 1 KB JSON events at a sustained rate,
 * keyed by device id, with a small share of duplicates (every {@code --duplicateEvery}-th event is
 * re-sent), to load-test the relay. A Beam pipeline, so it runs on every runner and scales out with
 * parallelism.
 *
 * <pre>
 *   GenerateDeviceEvents (sequence at --eventsPerSecond) ─▶ WriteOutput
 * </pre>
 *
 * Run: {@code ./run simulate-devices --eventsPerSecond=1000 --durationSeconds=60}; without
 * {@code --count} or {@code --durationSeconds} it runs until stopped.
 */
public final class SimulateDevices implements Launcher.Job<SimulateDevices.Options> {
  public static final String DEFAULT_TOPIC = "device-events";
  public static final double DEFAULT_RATE = 1000;

  /** Options of simulate-devices. */
  public interface Options extends HubOptions, PacingOptions {
    @Description("Number of simulated devices.")
    @Default.Integer(1000)
    int getDevices();

    void setDevices(int value);

    @Description("Records to send, duplicates included; 0 for no limit (needs a rate).")
    @Default.Long(0)
    long getCount();

    void setCount(long value);

    @Description("How long to send, in seconds, at --eventsPerSecond; 0 for no limit.")
    @Default.Long(0)
    long getDurationSeconds();

    void setDurationSeconds(long value);

    @Description("Re-send every N-th event with the same eventId (1000: 0.1% duplicates, like the streaming-at-scale sample); 0 for none.")
    @Default.Long(1000)
    long getDuplicateEvery();

    void setDuplicateEvery(long value);

    @Description("Device ids are this prefix and a number (the streaming-at-scale sample used contoso://device-id-).")
    @Default.String(DeviceEvent.DEFAULT_DEVICE_PREFIX)
    String getDevicePrefix();

    void setDevicePrefix(String value);
  }

  private SimulateDevices() {}

  /** The simulator, as the launcher runs it. */
  public static final SimulateDevices JOB = new SimulateDevices();

  public static Jobs.Outcome run(Options options) {
    return Launcher.run(JOB, options);
  }

  private static double rate(Options options) {
    return options.getEventsPerSecond() == null ? DEFAULT_RATE : options.getEventsPerSecond();
  }

  @Override
  public String defaultConsumerGroup() {
    return null;
  }

  @Override
  public Launcher.Endpoints endpoints(Options options, Hubs hubs) {
    return Launcher.Endpoints.writing(hubs.outputOr(DEFAULT_TOPIC), null);
  }

  @Override
  public Launcher.Outputs build(Pipeline pipeline, Options options, Launcher.Context context) {
    Progress.everySeconds(10);
    PCollection<KV<byte[], byte[]>> events = pipeline
        .apply("GenerateDeviceEvents", new GenerateDeviceEvents(System.currentTimeMillis(), options.getDevices(),
            options.getDevicePrefix(), Math.round(rate(options)), options.getCount(), options.getDurationSeconds(),
            options.getDuplicateEvery()));
    events.apply("WriteOutput", WriteToHub.of(context.endpoints().output()));
    return new Launcher.Outputs(events, null);
  }

  @Override
  public String describe(Options options, Launcher.Context context) {
    double rate = rate(options);
    return String.format("Simulating %,d devices at %s to %s%s ...", options.getDevices(),
        rate > 0 ? String.format("%,.0f events/s", rate) : "full speed", context.endpoints().output(),
        options.getCount() > 0 ? String.format(", %,d events", options.getCount())
            : options.getDurationSeconds() > 0 ? ", for " + options.getDurationSeconds() + " s" : ", until stopped");
  }

  @Override
  public void report(Options options, Launcher.Context context, Jobs.Outcome outcome) {
    System.out.printf("Sent %,d events (%,d of them duplicates) in %.1f s: %,.0f events/s achieved.%n",
        outcome.counter("written"), outcome.counter(GenerateDeviceEvents.DUPLICATES),
        outcome.elapsedMillis() / 1000.0, outcome.perSecond("written"));
  }
}
