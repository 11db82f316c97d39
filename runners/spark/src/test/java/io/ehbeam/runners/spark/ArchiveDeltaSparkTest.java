package io.ehbeam.runners.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.ehbeam.pipelines.testing.ArchiveScenario;
import io.ehbeam.transforms.testing.ArchiveFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * {@code --format=delta} on the SparkRunner (to the end of the hub), then the table read by Spark
 * with Delta Lake, as its users read it, and compared with what its log and Parquet files hold.
 */
class ArchiveDeltaSparkTest {
  @Test
  void sampleWeekAsADeltaTableOnSparkReadBySparkWithDeltaLake() throws Exception {
    Path table = Files.createTempDirectory("ehbeam-delta-spark-");
    ArchiveScenario.sampleWeekAsDelta("spark", table.toString(), () -> table, true, "--runner=SparkRunner", "--sparkMaster=local[2]");

    Set<String> fromLog = new HashSet<>();
    ArchiveFiles.readDelta(table).rows().forEach(r -> fromLog.add(r.get("partition") + "/" + r.get("offset") + "/"
        + r.get("city") + "/" + r.get("temperature_2m") + "/" + r.get("year") + "-" + r.get("month") + "-" + r.get("day")));
    SparkSession spark = SparkSession.builder().master("local[1]").appName("read-delta")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.ui.enabled", "false").getOrCreate();
    try {
      List<Row> rows = spark.read().format("delta").load(table.toString())
          .selectExpr("concat_ws('/', partition, offset, city, temperature_2m, concat_ws('-', year, month, day))").collectAsList();
      Set<String> bySpark = new HashSet<>();
      rows.forEach(r -> bySpark.add(r.getString(0)));
      assertThat(rows).as("rows, each once").hasSize(bySpark.size());
      assertThat(bySpark).isEqualTo(fromLog);
      assertThat(spark.sql("DESCRIBE DETAIL delta.`" + table + "`").select("partitionColumns").first().getList(0))
          .containsExactly("year", "month", "day", "hour");
    } finally {
      spark.stop();
    }
  }
}
