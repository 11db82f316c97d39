package io.ehbeam.pipelines.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ehbeam.pipelines.testing.AggregateScenario;
import io.ehbeam.pipelines.testing.HubFixture;
import io.ehbeam.pipelines.testing.JobLauncher;
import io.ehbeam.pipelines.testing.RelayScenario;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class AggregateDirectRunnerTest {
  @Test
  void monthlyStatisticsOfAFullYearOnTheDirectRunner() {
    // On a hub that stamps enqueue time (Event Hubs' default); FlinkRunner also checks a CreateTime hub gives the same rows.
    // The aggregate reads in offset chunks: the statistics are the subject here, and the DirectRunner's
    // splittable read took 4x as long for the year (PlannedReadsTest reads every way, the other tests the default).
    JobLauncher aggregateInChunks = (command, args) -> {
      List<String> all = new java.util.ArrayList<>(args);
      if (command.equals("aggregate")) {
        all.add("--plannedRead=offset-chunks");
      }
      return JobLauncher.IN_THIS_JVM.run(command, all);
    };
    AggregateScenario.fullYearOnAnAppendTimeHub("direct", aggregateInChunks, "--runner=DirectRunner");
  }

  @Test
  void devicesPresetOnASimulatorStream() {
    AggregateScenario.devices("direct", "--runner=DirectRunner");
  }

  /**
   * Why event time comes from the payload: on a hub that stamps enqueue time (Event Hubs' default),
   * --eventTime=broker counts a replay of 2023 in the month it was replayed.
   */
  @Test
  void brokerTimeOnAnAppendTimeHubCountsAReplayInTheMonthItWasReplayed() {
    HubFixture hub = HubFixture.plain();
    String readings = hub.newAppendTimeTopic("broker-time-readings", 2);
    YearMonth before = YearMonth.now(ZoneOffset.UTC);
    JobLauncher.IN_THIS_JVM.run("produce-temperatures", List.of("--bootstrapServers=" + hub.bootstrapServers(),
        "--outputTopic=" + readings));
    String rows = readings + "-monthly";
    JobLauncher.IN_THIS_JVM.run("aggregate", List.of("--bootstrapServers=" + hub.bootstrapServers(),
        "--inputTopic=" + readings, "--outputTopic=" + rows, "--stopAtEnd=true", "--console=false",
        "--eventTime=broker"));
    YearMonth after = YearMonth.now(ZoneOffset.UTC);

    List<ConsumerRecord<byte[], byte[]>> written = hub.readAll(readings);
    Map<String, Long> perCity = written.stream()
        .map(r -> RelayScenario.read(r.value()).get("city").asText())
        .collect(Collectors.groupingBy(c -> c, Collectors.counting()));
    List<JsonNode> monthly = hub.readAll(rows).stream().map(r -> RelayScenario.read(r.value())).toList();
    assertThat(monthly).isNotEmpty();
    for (JsonNode row : monthly) {
      YearMonth month = YearMonth.of(row.get("year").asInt(), row.get("month").asInt());
      assertThat(month).isBetween(before, after);
    }
    // Every reading of a city in the month of the replay (a replay that spans midnight at a month's
    // end splits a city over two rows).
    Map<String, Long> counted = monthly.stream().collect(Collectors.groupingBy(r -> r.get("city").asText(),
        Collectors.summingLong(r -> r.get("count").asLong())));
    assertThat(counted).isEqualTo(perCity);
  }
}
