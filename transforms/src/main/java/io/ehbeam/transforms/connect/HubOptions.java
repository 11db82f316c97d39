package io.ehbeam.transforms.connect;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.ehbeam.transforms.options.Choice;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Options every pipeline shares. Names and meanings are the same in every command: scripts and
 * users depend on them.
 *
 * <p>The connection strings are {@link JsonIgnore}d (never serialized with the options) and are
 * cleared from the options by {@link Hubs#resolve} once read, so no printout of the options, no
 * runner UI and no job parameter can show them; the job keeps only a {@link SecretReference}.
 */
public interface HubOptions extends PipelineOptions {
  String LOCAL_BOOTSTRAP = "localhost:9092";

  @Description(
      "Kafka bootstrap servers, host:port. Default: the local broker (./run local-kafka start)."
          + " With a connection string, replaces the namespace's host:9093 (private endpoints, tests).")
  @Default.String(LOCAL_BOOTSTRAP)
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description("Topic (event hub) to read. Default: the EntityPath of the input connection string.")
  String getInputTopic();

  void setInputTopic(String value);

  @Description("Topic (event hub) to write. Default: the EntityPath of the output connection string.")
  String getOutputTopic();

  void setOutputTopic(String value);

  @Description("Topic for records that cannot be processed, with the reason in headers."
      + " Default: <outputTopic>-deadletter.")
  String getDeadLetterTopic();

  void setDeadLetterTopic(String value);

  @JsonIgnore
  @Description(
      "Event Hubs connection string to read from (Endpoint=sb://...;SharedAccessKeyName=...;"
          + "SharedAccessKey=...[;EntityPath=hub]). Or set EVENTHUBS_INPUT_CONNECTION_STRING, or"
          + " EVENTHUBS_CONNECTION_STRING for both sides. Or where every worker finds it:"
          + " '${env:NAME}', '${file:/path/file.properties:key}', '${dir:/path:file}' (on a cluster a"
          + " value typed here is refused: jobs carry only such references). Never printed or logged.")
  String getInputConnectionString();

  void setInputConnectionString(String value);

  @JsonIgnore
  @Description(
      "Event Hubs connection string to write to. Or set EVENTHUBS_OUTPUT_CONNECTION_STRING, or"
          + " EVENTHUBS_CONNECTION_STRING for both sides. Or '${env:NAME}', '${file:path:key}',"
          + " '${dir:path:file}', as for --inputConnectionString. Never printed or logged.")
  String getOutputConnectionString();

  void setOutputConnectionString(String value);

  @Description("Consumer group (must exist on Event Hubs). Default: one per job, e.g. relay-cg.")
  String getConsumerGroup();

  void setConsumerGroup(String value);

  /** Where a consumer group without a committed offset starts (Kafka's auto.offset.reset). */
  enum StartOffset implements Choice.Word {
    EARLIEST,
    LATEST;

    @Override
    public String toString() {
      return Choice.spelled(this);
    }
  }

  @Description("Where to start when the consumer group has no committed offset: earliest or latest."
      + " Committed offsets always win.")
  @Default.Enum("EARLIEST")
  StartOffset getStartOffset();

  void setStartOffset(StartOffset value);

  @Description("Read what the input holds when the job starts, then finish (tests, backfills,"
      + " benchmarks). Offsets are committed when the job has succeeded.")
  @Default.Boolean(false)
  boolean getStopAtEnd();

  void setStopAtEnd(boolean value);

  @Description("Extra Kafka client setting key=value, repeatable (one per flag). Prefix with"
      + " consumer., producer. or admin. to reach one kind of client. Wins over every default.")
  List<String> getKafkaProperty();

  void setKafkaProperty(List<String> value);

  @Description("Partitions for an output topic this command creates (existing topics are kept).")
  @Default.Integer(2)
  int getPartitions();

  void setPartitions(int value);
}
