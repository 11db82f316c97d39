#!/usr/bin/env bash
# Submits a pipeline from the HDInsight head node (ssh sshuser@<cluster>-ssh.azurehdinsight.net):
#
#   export EVENTHUBS_CONNECTION_STRING='Endpoint=sb://...'   # never on the command line
#   ./submit.sh relay --inputTopic=telemetry --outputTopic=telemetry-enriched --consumerGroup=relay-cg
#
# Environment (all optional except the connection string for Event Hubs):
#   EHBEAM_JAR         the Spark jar (default: ehbeam-spark.jar next to this script)
#   SPARK_MASTER       yarn (default) | spark://host:port
#   DEPLOY_MODE        client (default: the driver runs here) | cluster (on YARN: the driver in a container)
#   SPARK_SUBMIT       the spark-submit command (default: spark-submit)
#   EXTRA_SPARK_CONF   more --conf key=value pairs, space separated (no secrets)
#   SPARK_JAVA_HOME    a Java 17 home on every node, for a cluster whose Java is older (HDInsight
#                      5.1 runs Java 8; see README.md): the driver, the YARN application master
#                      and the executors run on it
#
# The connection strings travel in the environment, to the driver and to every executor (their
# Kafka clients read them there; the job holds only the variables' names). Or keep them in a file
# on every node and pass e.g. --inputConnectionString='${file:/etc/ehbeam/eventhubs.properties:input}'.
set -euo pipefail

if [ $# -lt 1 ] || [ "$1" = --help ]; then
  sed -n '2,19p' "$0"
  exit 2
fi
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="${EHBEAM_JAR:-$HERE/ehbeam-spark.jar}"
MASTER="${SPARK_MASTER:-yarn}"
MODE="${DEPLOY_MODE:-client}"
read -r -a SUBMIT <<< "${SPARK_SUBMIT:-spark-submit}"
# Hide connection strings and account keys in Spark's UI and event logs.
REDACT='(?i)secret|password|token|access[.]?key|connection.?string'
# Spark's Java 17 flags for driver and executors (the same list as the project's jvm.flags.spark).
JAVA17='--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED'

if [ ! -f "$JAR" ]; then
  echo "error: $JAR not found (copy runners/spark/target/ehbeam-spark.jar here, or set EHBEAM_JAR)" >&2
  exit 2
fi

pipeline="$1"
shift
conf=(--conf "spark.redaction.regex=$REDACT" --conf "spark.executor.extraJavaOptions=$JAVA17")
if [ -n "${SPARK_JAVA_HOME:-}" ]; then
  conf+=(--conf "spark.executorEnv.JAVA_HOME=$SPARK_JAVA_HOME" --conf "spark.yarn.appMasterEnv.JAVA_HOME=$SPARK_JAVA_HOME")
  export JAVA_HOME="$SPARK_JAVA_HOME" # spark-submit, and the driver in client mode
fi
if [ -n "${EXTRA_SPARK_CONF:-}" ]; then
  for kv in $EXTRA_SPARK_CONF; do conf+=(--conf "$kv"); done
fi

# The connection strings reach the driver and every executor through their environment: the job
# itself holds only the variables' names, and each executor's Kafka clients read the value there.
# They are set from a properties file only this user can read (with the cluster's defaults), never
# on the command line (ps shows it) or in the job's arguments (Spark's UI shows those); Spark's UI
# and event logs redact them (spark.redaction.regex). The file is removed when the submission ends.
umask 077
props="$(mktemp)"
trap 'rm -f "$props"' EXIT
# --properties-file replaces spark-defaults.conf: start from the cluster's own.
defaults="${SPARK_CONF_DIR:-${SPARK_HOME:-/usr/hdp/current/spark3-client}/conf}/spark-defaults.conf"
if [ -f "$defaults" ]; then cat "$defaults" > "$props"; fi
for name in EVENTHUBS_CONNECTION_STRING EVENTHUBS_INPUT_CONNECTION_STRING EVENTHUBS_OUTPUT_CONNECTION_STRING AZURE_STORAGE_CONNECTION_STRING; do
  if [ -n "${!name:-}" ]; then
    echo "spark.executorEnv.$name ${!name}" >> "$props"
    if [ "$MODE" = cluster ] && [ "$MASTER" = yarn ]; then
      echo "spark.yarn.appMasterEnv.$name ${!name}" >> "$props"
    elif [ "$MODE" = cluster ]; then
      echo "spark.driverEnv.$name ${!name}" >> "$props"
    fi
  fi
done
properties=(--properties-file "$props")
if [ "$MODE" = cluster ]; then
  echo "spark.driver.extraJavaOptions $JAVA17" >> "$props"
else
  conf+=(--driver-java-options "$JAVA17")
fi

# Only the jar is staged to executors (the cluster has Spark, Scala and Hadoop).
stage=()
if [ "$MODE" = client ]; then stage=("--filesToStage=$JAR"); fi

"${SUBMIT[@]}" --master "$MASTER" --deploy-mode "$MODE" "${properties[@]}" "${conf[@]}" \
  --class io.ehbeam.pipelines.Main "$JAR" \
  "$pipeline" --runner=SparkRunner "--sparkMaster=$MASTER" "${stage[@]}" "$@"
