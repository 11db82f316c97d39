package io.ehbeam.transforms.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ehbeam.transforms.io.EventTime;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** Closed sets through Beam's own options parsing: the words users type, and errors that list them. */
class ChoiceTest {
  public enum Clock implements Choice.Word {
    EVENT_TIME,
    PROCESSING_TIME;

    @Override
    public String toString() {
      return Choice.spelled(this);
    }
  }

  public interface ClockOptions extends PipelineOptions {
    @Default.Enum("EVENT_TIME")
    Clock getClock();

    void setClock(Clock value);

    List<EventTime.Source> getSources();

    void setSources(List<EventTime.Source> value);
  }

  static ClockOptions parse(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(ClockOptions.class);
  }

  @Test
  void optionsTakeTheWordsInAnyCaseWithHyphensOrUnderscores() {
    assertThat(parse().getClock()).isEqualTo(Clock.EVENT_TIME);
    assertThat(parse("--clock=processing-time").getClock()).isEqualTo(Clock.PROCESSING_TIME);
    assertThat(parse("--clock=PROCESSING_TIME").getClock()).isEqualTo(Clock.PROCESSING_TIME);
    assertThat(parse("--sources=broker,Payload").getSources())
        .containsExactly(EventTime.Source.BROKER, EventTime.Source.PAYLOAD);
    assertThat(Clock.PROCESSING_TIME).hasToString("processing-time");
  }

  @Test
  void aWrongWordIsRefusedWithTheAllowedOnes() {
    assertThatThrownBy(() -> parse("--clock=wall-time").getClock())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("'wall-time' is not one of event-time, processing-time");
    assertThatThrownBy(() -> parse("--sources=broker,enqueue").getSources())
        .isInstanceOf(IllegalArgumentException.class).hasRootCauseMessage("'enqueue' is not one of payload, broker");
  }

  @Test
  void optionsSentToWorkersComeBackTheSame() throws Exception {
    // As runners ship options to workers: JSON through Jackson, with the modules found on the classpath.
    ObjectMapper mapper = new ObjectMapper().registerModules(ObjectMapper.findModules(getClass().getClassLoader()));
    ClockOptions sent = parse("--clock=processing-time", "--sources=broker");
    String json = mapper.writeValueAsString(sent);
    // Written as Jackson's constant names: a JVM without the module reads them back too.
    assertThat(json).contains("\"clock\":\"PROCESSING_TIME\"", "\"sources\":[\"BROKER\"]");
    ClockOptions received = mapper.readValue(json, PipelineOptions.class).as(ClockOptions.class);
    assertThat(received.getClock()).isEqualTo(Clock.PROCESSING_TIME);
    assertThat(received.getSources()).containsExactly(EventTime.Source.BROKER);
  }
}
