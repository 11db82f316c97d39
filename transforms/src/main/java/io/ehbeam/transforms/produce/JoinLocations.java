package io.ehbeam.transforms.produce;

import io.ehbeam.transforms.deadletter.DeadLetter;
import io.ehbeam.transforms.model.Location;
import io.ehbeam.transforms.model.LocationMaster;
import io.ehbeam.transforms.model.TemperatureReading;
import java.util.Optional;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Adds {@code city} and {@code elevation} to each reading from the nearest location of the master
 * within {@code maxKm}. The master is a handful of cities, so it travels inside the transform rather
 * than as a side input. Readings with no city that near go to {@link #DEAD_LETTERS}.
 */
public final class JoinLocations extends PTransform<PCollection<TemperatureReading>, PCollectionTuple> {
  public static final TupleTag<TemperatureReading> JOINED = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};
  static final String STEP = "JoinLocations";

  private final LocationMaster master;
  private final double maxKm;

  public JoinLocations(LocationMaster master, double maxKm) {
    this.master = master;
    this.maxKm = maxKm;
  }

  @Override
  public PCollectionTuple expand(PCollection<TemperatureReading> readings) {
    PCollectionTuple result =
        readings.apply("NearestCity", ParDo.of(new Join(master, maxKm)).withOutputTags(JOINED, TupleTagList.of(DEAD_LETTERS)));
    result.get(JOINED).setCoder(TemperatureReading.CODER);
    result.get(DEAD_LETTERS).setCoder(SerializableCoder.of(DeadLetter.class));
    return result;
  }

  static final class Join extends DoFn<TemperatureReading, TemperatureReading> {
    private final LocationMaster master;
    private final double maxKm;

    Join(LocationMaster master, double maxKm) {
      this.master = master;
      this.maxKm = maxKm;
    }

    @ProcessElement
    public void process(@Element TemperatureReading reading, MultiOutputReceiver out) {
      Optional<Location> city = master.nearest(reading.latitude, reading.longitude, maxKm);
      if (city.isPresent()) {
        out.get(JOINED).output(reading.at(city.get()));
      } else {
        out.get(DEAD_LETTERS).output(new DeadLetter(null, reading.toJson(),
            "no location within " + maxKm + " km of " + reading.latitude + ", " + reading.longitude,
            STEP, null, -1, -1, -1));
      }
    }
  }
}
