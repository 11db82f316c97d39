#!/usr/bin/env bash
# Submits a Livy batch (livy-relay.json, livy-aggregate.json, livy-archive.json) to HDInsight
# from anywhere, and follows it until it ends:
#
#   export EVENTHUBS_CONNECTION_STRING='Endpoint=sb://...'      # and AZURE_STORAGE_CONNECTION_STRING for the archive
#   export HDI_PASSWORD='<cluster login password>'
#   ./livy-submit.sh <cluster-name> livy-relay.json
#
# ${NAME} placeholders in the JSON are filled from the environment here, on the way into curl's
# standard input: the secrets never sit in a file or on a command line. The cluster login goes
# through a curl config read from a pipe for the same reason. (The Livy batch keeps its conf on the
# cluster; Spark's UI redacts the connection strings through spark.redaction.regex.)
set -euo pipefail
if [ $# -ne 2 ]; then
  sed -n '2,13p' "$0"
  exit 2
fi
cluster="$1"
batch="$2"
url="https://$cluster.azurehdinsight.net/livy/batches"
: "${HDI_PASSWORD:?set HDI_PASSWORD to the cluster login password}"
login() { printf 'user = "%s:%s"\n' "${HDI_USER:-admin}" "$HDI_PASSWORD"; }

# Fill ${NAME} from the environment; an unset one is an error rather than an empty secret.
body="$(perl -pe 's/\$\{(\w+)\}/defined $ENV{$1} ? $ENV{$1} : die "error: $1 is not set\n"/ge' "$batch")"
response="$(printf '%s' "$body" | curl -sS --fail -K <(login) -H 'Content-Type: application/json' \
  -H 'X-Requested-By: ehbeam' --data-binary @- "$url")"
id="$(printf '%s' "$response" | sed -n 's/.*"id" *: *\([0-9]*\).*/\1/p' | head -n 1)"
echo "Livy batch $id submitted; following its state ..." >&2
while true; do
  state="$(curl -sS --fail -K <(login) "$url/$id/state" | sed -n 's/.*"state" *: *"\([a-z_]*\)".*/\1/p')"
  case "$state" in
    success) echo "Batch $id: success" >&2; exit 0 ;;
    dead|killed|error) echo "Batch $id: $state; its log: $url/$id/log" >&2; exit 1 ;;
    *) sleep 10 ;;  # a remote service with no push notification: poll its state
  esac
done
