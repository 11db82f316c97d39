package io.ehbeam.pipelines.produce;

import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.pipelines.common.Launcher;
import io.ehbeam.pipelines.common.PacingOptions;
import io.ehbeam.pipelines.common.ProjectFiles;
import io.ehbeam.transforms.connect.HubOptions;
import io.ehbeam.transforms.connect.Hubs;
import io.ehbeam.transforms.connect.KafkaEndpoint;
import io.ehbeam.transforms.deadletter.DeadLetter;
import io.ehbeam.transforms.deadletter.WriteDeadLetters;
import io.ehbeam.transforms.io.Progress;
import io.ehbeam.transforms.io.WriteToHub;
import io.ehbeam.transforms.model.LocationMaster;
import io.ehbeam.transforms.produce.JoinLocations;
import io.ehbeam.transforms.produce.PaceReadings;
import io.ehbeam.transforms.produce.ReadTemperatureFiles;
import io.ehbeam.transforms.produce.ToTemperatureRecords;
import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Replays hourly city temperatures into an event hub (the temperature experiment's producer): reads Open-Meteo
 * documents or flattened JSON lines, joins each reading with the nearest city of the location
 * master, and writes one JSON event per reading ({@code latitude, longitude, time, temperature_2m,
 * city, elevation}) keyed by city, with the reading's time as the record timestamp.
 *
 * <pre>
 *   ReadFiles ─▶ JoinLocations ─▶ [Pace] ─▶ ToRecords ─▶ WriteOutput
 *       └────────────┴──── dead letters ───────────────▶ WriteDeadLetters
 * </pre>
 *
 * Run: {@code ./run produce-temperatures [--input=datafiles/...] [--speedUp=3600]}.
 */
public final class ProduceTemperatures implements Launcher.Job<ProduceTemperatures.Options> {
  public static final String DEFAULT_TOPIC = "temperatures";

  /** Options of produce-temperatures. */
  public interface Options extends HubOptions, PacingOptions {
    @Description("Temperature files: a file, a folder or a glob; Open-Meteo documents or flattened JSON lines,"
        + " told apart per file. Default: the sample in datafiles/temperatures/sample/open-meteo.")
    @Default.InstanceFactory(SampleInput.class)
    String getInput();

    void setInput(String value);

    @Description("Location master, JSON lines of {elevation, latitude, longitude, city}."
        + " Default: datafiles/locations/location_master.json.")
    @Default.InstanceFactory(ProjectFiles.LocationMasterDefault.class)
    String getLocations();

    void setLocations(String value);

    @Description("A reading joins the nearest city within this distance (Open-Meteo snaps to its grid).")
    @Default.Double(25)
    double getMaxLocationDistanceKm();

    void setMaxLocationDistanceKm(double value);

    @Description("Replay event time this many times faster than real time (3600: an hour a second); 0 for no limit.")
    @Default.Double(0)
    double getSpeedUp();

    void setSpeedUp(double value);

    /** The sample shipped in datafiles/. */
    class SampleInput implements DefaultValueFactory<String> {
      @Override
      public String create(PipelineOptions options) {
        return ProjectFiles.datafile("temperatures/sample/open-meteo");
      }
    }
  }

  private ProduceTemperatures() {}

  /** The temperature replay, as the launcher runs it. */
  public static final ProduceTemperatures JOB = new ProduceTemperatures();

  public static Jobs.Outcome run(Options options) {
    return Launcher.run(JOB, options);
  }

  @Override
  public String defaultConsumerGroup() {
    return null;
  }

  @Override
  public Launcher.Endpoints endpoints(Options options, Hubs hubs) {
    KafkaEndpoint output = hubs.outputOr(DEFAULT_TOPIC);
    return Launcher.Endpoints.writing(output, Hubs.deadLetterOf(output, options));
  }

  @Override
  public String describe(Options options, Launcher.Context context) {
    return String.format("Producing temperature readings from %s to %s ...", options.getInput(), context.endpoints().output());
  }

  @Override
  public void report(Options options, Launcher.Context context, Jobs.Outcome outcome) {
    System.out.printf("Sent %,d temperature events in %.1f s (%,.0f events/s); %,d records dead-lettered to %s.%n",
        outcome.counter("written"), outcome.elapsedMillis() / 1000.0, outcome.perSecond("written"),
        outcome.counter("deadLettered"), context.endpoints().deadLetters().topic());
  }

  @Override
  public Launcher.Outputs build(Pipeline pipeline, Options options, Launcher.Context context) {
    LocationMaster master = LocationMaster.read(Path.of(options.getLocations()));
    KafkaEndpoint output = context.endpoints().output();
    Progress.everySeconds(10);
    double rate = options.getEventsPerSecond() == null ? 0 : options.getEventsPerSecond();
    PCollectionTuple files = pipeline.apply("ReadFiles", new ReadTemperatureFiles(ProjectFiles.filePattern(options.getInput())));
    PCollectionTuple joined =
        files.get(ReadTemperatureFiles.READINGS)
            .apply("JoinLocations", new JoinLocations(master, options.getMaxLocationDistanceKm()));
    PCollection<ProducerRecord<byte[], byte[]>> records = joined.get(JoinLocations.JOINED)
        .apply("Pace", new PaceReadings(rate, options.getSpeedUp()))
        .apply("ToRecords", new ToTemperatureRecords(output.topic()));
    records.apply("WriteOutput", WriteToHub.records(output, WriteToHub.WRITTEN_COUNTER));
    PCollection<DeadLetter> deadLetters = PCollectionList.<DeadLetter>of(files.get(ReadTemperatureFiles.DEAD_LETTERS))
        .and(joined.get(JoinLocations.DEAD_LETTERS))
        .apply("AllDeadLetters", Flatten.pCollections());
    deadLetters.apply("WriteDeadLetters", new WriteDeadLetters(context.endpoints().deadLetters()));
    return new Launcher.Outputs(records, deadLetters);
  }
}
