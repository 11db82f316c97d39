package io.ehbeam.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.pipelines.testing.CapturedOutput;
import io.ehbeam.pipelines.testing.HubFixture;
import org.junit.jupiter.api.Test;

/** The demo as ./run starts it: the relay runs in the DirectRunner's own jar, in its own JVM. */
class DemoIT {
  @Test
  void relaysItsSampleEventsThroughTheRunnersJarAndReportsThem() {
    HubFixture hub = HubFixture.plain();
    CapturedOutput run = CapturedOutput.of(() -> Tools.run(new String[] {
        "demo", "--bootstrapServers=" + hub.bootstrapServers(), "--events=300"}));
    assertThat(run.exitCode).as(run.all()).isZero();
    assertThat(run.out)
        .contains("Wrote 300 device events and 4 malformed records")
        .contains("Relaying demo-input -> demo-output on DirectRunner")
        .contains("In: 304 records read. Out: 300 events written to demo-output, 4 records dead-lettered")
        .contains("\"enqueuedAt\":", "\"processedAt\":")
        .contains("deadletter.reason=empty record");
  }
}
