package io.ehbeam.transforms.produce;

import io.ehbeam.transforms.deadletter.DeadLetter;
import io.ehbeam.transforms.json.TemperatureFileCodec;
import io.ehbeam.transforms.model.TemperatureReading;
import java.io.IOException;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads hourly temperature files (Open-Meteo documents or flattened JSON lines, told apart per
 * file) matching a Beam file pattern, into {@link #READINGS}; what cannot be read goes to {@link
 * #DEAD_LETTERS} with the file, line and reason.
 */
public final class ReadTemperatureFiles extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<TemperatureReading> READINGS = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};
  static final String STEP = "ReadTemperatureFiles";

  private final String filePattern;

  public ReadTemperatureFiles(String filePattern) {
    this.filePattern = filePattern;
  }

  @Override
  public PCollectionTuple expand(PBegin input) {
    PCollectionTuple result =
        input
            .apply("MatchFiles", FileIO.match().filepattern(filePattern).withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
            .apply("OpenFiles", FileIO.readMatches())
            .apply("ParseReadings", ParDo.of(new ParseFile()).withOutputTags(READINGS, TupleTagList.of(DEAD_LETTERS)));
    result.get(READINGS).setCoder(TemperatureReading.CODER);
    result.get(DEAD_LETTERS).setCoder(SerializableCoder.of(DeadLetter.class));
    return result;
  }

  static final class ParseFile extends DoFn<FileIO.ReadableFile, TemperatureReading> {
    private final Counter readings = Metrics.counter("ehbeam", "readings");

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out) throws IOException {
      String name = file.getMetadata().resourceId().toString();
      TemperatureFileCodec.Parsed parsed = TemperatureFileCodec.parse(file.readFullyAsBytes());
      for (TemperatureReading r : parsed.readings) {
        readings.inc();
        out.get(READINGS).output(r);
      }
      for (TemperatureFileCodec.Problem p : parsed.problems) {
        out.get(DEAD_LETTERS).output(DeadLetter.ofFileLine(name, p.line(), p.bytes(), STEP, p.reason()));
      }
    }
  }
}
