package io.ehbeam.pipelines.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.pipelines.Main;
import io.ehbeam.pipelines.testing.CapturedOutput;
import io.ehbeam.transforms.connect.Hubs;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.junit.jupiter.api.Test;

/** No connection string or key in what a pipeline shows: options, display data, errors, help. */
class RelaySecretsTest {
  static final String KEY = "FakeKeyRecognisable0123456789abcdefXYZ=";
  static final String CONNECTION =
      "Endpoint=sb://contoso-ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=" + KEY;

  @Test
  void builtPipelineShowsNoSecretInOptionsOrDisplayData() {
    RelayPipeline.Options options = io.ehbeam.pipelines.common.JobArguments.parse(new String[] {
        "--inputConnectionString=" + CONNECTION + ";EntityPath=in",
        "--outputConnectionString=" + CONNECTION + ";EntityPath=out",
        "--kafkaProperty=ssl.truststore.password=TrustStoreSecret42"}, RelayPipeline.Options.class, false);
    Hubs hubs = Hubs.resolve(options, RelayPipeline.JOB.defaultConsumerGroup());
    Pipeline pipeline = Pipeline.create(options);
    RelayPipeline.JOB.build(pipeline, options,
        io.ehbeam.pipelines.common.Launcher.Context.streaming(hubs, RelayPipeline.JOB.endpoints(options, hubs)));

    List<String> shown = new ArrayList<>();
    shown.add(options.toString());
    shown.add(DisplayData.from(options).toString());
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (node.getTransform() != null) {
              shown.add(DisplayData.from(node.getTransform()).toString());
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            shown.add(DisplayData.from(node.getTransform()).toString());
          }
        });
    String all = String.join("\n", shown);
    assertThat(all).contains("contoso-ns.servicebus.windows.net:9093"); // the display data is really there
    assertThat(all).doesNotContain(KEY).doesNotContain("TrustStoreSecret42").doesNotContain("SharedAccessKey=");
  }

  @Test
  void helpAndErrorsShowNoSecret() {
    CapturedOutput help = CapturedOutput.of(() -> Main.run(new String[] {"relay", "--help", "--inputConnectionString=" + CONNECTION}));
    assertThat(help.exitCode).isZero();
    assertThat(help.out).contains("--inputConnectionString").contains("EVENTHUBS_INPUT_CONNECTION_STRING");
    assertThat(help.all()).doesNotContain(KEY);

    CapturedOutput bad = CapturedOutput.of(() -> Main.run(new String[] {
        "relay", "--inputConnectionString=Endpoint=https://x/;SharedAccessKeyName=a;SharedAccessKey=" + KEY}));
    assertThat(bad.exitCode).isEqualTo(2);
    assertThat(bad.err).contains("error: --inputConnectionString has Endpoint 'https://x/'");
    assertThat(bad.all()).doesNotContain(KEY);
  }

  @Test
  void unknownHostIsOneClearLine() {
    CapturedOutput run = CapturedOutput.of(() -> Main.run(new String[] {
        "relay", "--inputConnectionString=Endpoint=sb://no-such-namespace.invalid/;SharedAccessKeyName=a;SharedAccessKey=" + KEY + ";EntityPath=in",
        "--outputTopic=o"}));
    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.err).contains("error: ").contains("no-such-namespace.invalid:9093");
    assertThat(run.all()).doesNotContain(KEY);
  }
}
