package io.ehbeam.pipelines.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ehbeam.pipelines.Main;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Checks the arguments a deployment file hands to {@code Main}: a pipeline command, then only
 * options that command (or its runner, registered on the classpath) accepts, with values of the
 * right type. Beam's own parser decides, as it will at start-up on the cluster.
 */
public final class DeploymentArgs {
  private DeploymentArgs() {}

  public static void assertRunsAPipeline(String file, List<String> args) {
    assertThat(args).as("%s: arguments", file).isNotEmpty();
    String command = args.get(0);
    assertThat(Main.optionsOf(command)).as("%s: '%s' is a job of Main", file, command).isPresent();
    Class<? extends PipelineOptions> options = Main.optionsOf(command).orElseThrow();
    String[] rest = args.subList(1, args.size()).toArray(new String[0]);
    try {
      PipelineOptionsFactory.fromArgs(rest).as(options);
    } catch (IllegalArgumentException e) {
      throw new AssertionError(file + ": " + command + " does not accept its arguments: " + e.getMessage(), e);
    }
  }

  /** The check itself can fail: a misspelt option and a wrong type are refused. */
  public static void assertTheCheckRefusesMistakes() {
    assertThatThrownBy(() -> assertRunsAPipeline("x", List.of("relay", "--inputTopik=a"))).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> assertRunsAPipeline("x", List.of("relay", "--stopAtEnd=maybe"))).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> assertRunsAPipeline("x", List.of("peek"))).isInstanceOf(AssertionError.class);
  }
}
