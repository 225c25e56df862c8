#!/usr/bin/env bash
# Fetches, through Maven, Beam's Spark 3 runner with all its dependencies and the Spark it was built against
# (Beam's pom marks Spark "provided"), into .cache/beam/spark-<spark>-job-server-<beam>/lib. Maven Central has
# no prebuilt `beam-runners-spark-3-job-server` shaded jar, so the job server runs from this class path (main
# class SparkJobServerDriver), like the Flink one (fetch-beam.sh). Idempotent: re-resolves only when the
# dependency list below changes. Prints the library directory.
# Env: BEAM_VERSION (default 2.62.0), SPARK_VERSION (default 3.2.2, the version Beam 2.62.0 is built against).
set -euo pipefail
BEAM_VERSION="${BEAM_VERSION:-2.62.0}"
SPARK_VERSION="${SPARK_VERSION:-3.2.2}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
CACHE="${LOGBEAM_BEAM_CACHE:-$ROOT/.cache/beam}"
SPARK="$CACHE/spark-$SPARK_VERSION-job-server-$BEAM_VERSION"
mkdir -p "$SPARK"
POM="$(cat <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>logbeam.cache</groupId>
  <artifactId>spark-job-server</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>org.apache.beam</groupId>
      <artifactId>beam-runners-spark-3</artifactId>
      <version>$BEAM_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.apache.spark</groupId>
      <artifactId>spark-core_2.12</artifactId>
      <version>$SPARK_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.apache.spark</groupId>
      <artifactId>spark-streaming_2.12</artifactId>
      <version>$SPARK_VERSION</version>
    </dependency>
  </dependencies>
</project>
POM
)"
if [ ! -f "$SPARK/.done" ] || [ "$(cat "$SPARK/pom.xml" 2>/dev/null)" != "$POM" ]; then
  rm -rf "$SPARK/lib" "$SPARK/.done"
  printf '%s\n' "$POM" > "$SPARK/pom.xml"
  (cd "$SPARK" && mvn -q -B dependency:copy-dependencies -DoutputDirectory="$SPARK/lib" -DincludeScope=runtime >&2)
  touch "$SPARK/.done"
fi
echo "$SPARK/lib"
