package io.ehbeam.runners.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.pipelines.testing.SecretSearch;
import io.ehbeam.local.LocalProcess;
import io.ehbeam.localspark.LocalSpark;
import io.ehbeam.localkafka.TestKafka;
import io.ehbeam.pipelines.common.Jobs;
import io.ehbeam.pipelines.common.ProjectFiles;
import io.ehbeam.pipelines.testing.AggregateScenario;
import io.ehbeam.pipelines.testing.HubFixture;
import io.ehbeam.pipelines.testing.JobLauncher;
import io.ehbeam.pipelines.testing.RelayScenario;
import io.ehbeam.transforms.model.DeviceEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundled jar on a real Spark 3.5 standalone cluster (a master and a worker, each its own
 * process; executors started by the worker), submitted as a user submits it: {@code ./run
 * <pipeline> --runner=SparkRunner --sparkMaster=spark://host:port}, through Spark's SparkSubmit,
 * with the driver here (client mode) or on the worker (cluster mode).
 */
class SparkClusterIT {
  static LocalSpark cluster;
  static JobLauncher runScript;

  @BeforeAll
  static void startCluster() {
    int uiPort = LocalProcess.freePort();
    cluster = new LocalSpark(Path.of("target", "spark-cluster"), LocalProcess.freePort(), uiPort,
        LocalProcess.freePort(), 2, "3g");
    cluster.start(true);
    // Where ./run looks for a cluster-mode driver's output and asks for its final state.
    runScript = JobLauncher.runScript(Map.of(
        "EHBEAM_LOCAL_SPARK_HOME", cluster.home().toString(),
        "EHBEAM_LOCAL_SPARK_UI_PORT", Integer.toString(uiPort)), Duration.ofMinutes(5));
  }

  @AfterAll
  static void stopCluster() {
    cluster.stop();
  }

  @Test
  void relaysEveryEventOnceWithTheDriverHere() {
    long applications = count("app-");
    RelayScenario.runAndVerify("spark-cluster", 3000, runScript,
        "--runner=SparkRunner", "--sparkMaster=" + cluster.masterUrl());
    assertThat(count("app-")).as("applications the worker ran executors for").isEqualTo(applications + 1);
  }

  @Test
  void aggregatesAFullYearWithTheDriverOnTheCluster() {
    long drivers = count("driver-");
    AggregateScenario.fullYearOnAnAppendTimeHub("spark-cluster", runScript,
        "--runner=SparkRunner", "--sparkMaster=" + cluster.masterUrl(), "--sparkDeployMode=cluster");
    assertThat(count("driver-")).as("drivers the worker ran (produce, aggregate)").isEqualTo(drivers + 2);
  }

  /**
   * The HDInsight submission script, as on a head node of HDInsight 5.1 (client mode), against a
   * standalone cluster of the Spark that HDInsight 5.1 ships (3.3.1, on this machine's Java 17),
   * with spark-submit being that release's SparkSubmit: the connection string only in the
   * environment of the driver and the executors, the trust store's password in a file each
   * client reads ({@code ${file:..}}), the relay through the broker's Event-Hubs-shaped SASL_SSL
   * listener; the key in no output and no file of the cluster (logs, application folders).
   */
  @Test
  void hdinsightSubmitScriptRelaysOnTheSparkOfHdInsight51WithTheSecretsOnlyInTheEnvironmentAndAFile() throws Exception {
    TestKafka kafka = TestKafka.get();
    HubFixture hub = HubFixture.plain();
    String input = hub.newTopic("hdinsight-in", 2);
    String output = input.replace("-in-", "-out-");
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      DeviceEvent e = DeviceEvent.of(7, i, 3, DeviceEvent.DEFAULT_DEVICE_PREFIX, Instant.now());
      records.add(new AbstractMap.SimpleEntry<>(e.deviceId, e.toJson()));
    }
    hub.write(input, records);
    Path secrets = Files.createTempDirectory("ehbeam-hdinsight-secrets-");
    Files.writeString(secrets.resolve("truststore.properties"), "password=" + kafka.truststorePassword() + "\n");

    LocalSpark hdinsight = new LocalSpark(Path.of("target", "spark-hdinsight"), LocalProcess.freePort(),
        LocalProcess.freePort(), LocalProcess.freePort(), 2, "2g", LocalSpark.Release.HDINSIGHT_5_1);
    hdinsight.start(true);
    try {
      Path jar = Path.of("target", "ehbeam-spark.jar").toAbsolutePath();
      String sparkSubmit = String.join(" ", LocalProcess.javaBin(), String.join(" ", LocalSpark.javaFlags()), "-cp",
          jar + java.io.File.pathSeparator + hdinsight.clusterClasspath(), "org.apache.spark.deploy.SparkSubmit");
      ProcessBuilder builder = new ProcessBuilder("bash", ProjectFiles.home().resolve("runners/spark/hdinsight/submit.sh").toString(),
          "relay", "--bootstrapServers=" + kafka.saslSslBootstrapServers(), "--inputTopic=" + input,
          "--outputTopic=" + output, "--consumerGroup=" + input + "-cg", "--stopAtEnd=true",
          "--kafkaProperty=ssl.truststore.location=" + kafka.truststore(),
          "--kafkaProperty=ssl.truststore.type=PKCS12",
          "--kafkaProperty=ssl.truststore.password=${file:" + secrets.resolve("truststore.properties") + ":password}")
          .redirectErrorStream(true);
      builder.environment().putAll(Map.of(
          "EHBEAM_JAR", jar.toString(),
          "SPARK_MASTER", hdinsight.masterUrl(),
          "SPARK_SUBMIT", sparkSubmit,
          // As on HDInsight 5.1, whose own Java is 8: the job's processes on a Java 17 of every node.
          "SPARK_JAVA_HOME", System.getProperty("java.home"),
          "EVENTHUBS_CONNECTION_STRING", kafka.connectionString()));
      Process process = builder.start();
      String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
      assertThat(process.exitValue()).as(printed).isZero();
      assertThat(Files.readString(hdinsight.masterLog())).as("the cluster's Spark").contains("Running Spark version 3.3.1");
      assertThat(Jobs.Outcome.fromReport(printed)).as(printed).hasValueSatisfying(o -> {
        assertThat(o.counter("read")).isEqualTo(500);
        assertThat(o.counter("written")).isEqualTo(500);
      });
      List<ConsumerRecord<byte[], byte[]>> relayed = hub.readAll(output);
      assertThat(relayed).hasSize(500)
          .allSatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8)).contains("\"enqueuedAt\":", "\"processedAt\":"));

      String key = kafka.connectionString().substring(kafka.connectionString().indexOf("SharedAccessKey=") + 16);
      assertThat(printed).doesNotContain(key).doesNotContain(kafka.truststorePassword());
      int searched = 0;
      try (Stream<Path> files = Files.walk(hdinsight.home())) {
        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".jar"))::iterator) {
          assertThat(SecretSearch.readable(f)).as("%s holds a secret", f)
              .doesNotContain(key).doesNotContain(kafka.truststorePassword());
          searched++;
        }
      }
      assertThat(searched).as("files of the cluster searched (logs, application folders)").isGreaterThan(3);
    } finally {
      hdinsight.stop();
    }
  }

  /** Folders in the worker's work directory: one per application (executors) or per cluster-mode driver. */
  static long count(String prefix) {
    if (!Files.exists(cluster.workDir())) {
      return 0;
    }
    try (Stream<Path> entries = Files.list(cluster.workDir())) {
      return entries.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
