#!/usr/bin/env bash
# Fetches, through Maven, Beam's model jars (for the .proto files the portable runner loads at run time) and the
# Beam Flink runner with all its dependencies (an embedded Flink cluster and Beam's job server driver), into
# .cache/beam/. Maven Central as reached here has no prebuilt `beam-runners-flink-<v>-job-server` shaded jar,
# so the job server runs from the resolved class path instead (same main class, FlinkJobServerDriver).
# Idempotent; prints the cache directory. Env: BEAM_VERSION (default 2.62.0), FLINK_VERSION (default 1.19).
set -euo pipefail
BEAM_VERSION="${BEAM_VERSION:-2.62.0}"
FLINK_VERSION="${FLINK_VERSION:-1.19}"
# The package root (logbeam's package.json): the same cache from the sources, dist/ or node_modules/logbeam.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
until [ -f "$ROOT/package.json" ] && grep -q '"name": *"logbeam"' "$ROOT/package.json"; do
  [ "$ROOT" = / ] && { echo "no logbeam package.json above $(dirname "${BASH_SOURCE[0]}")" >&2; exit 1; }
  ROOT="$(dirname "$ROOT")"
done
CACHE="${LOGBEAM_BEAM_CACHE:-$ROOT/.cache/beam}"
JARS="$CACHE/model-$BEAM_VERSION"
PROTOS="$CACHE/proto-$BEAM_VERSION"
FLINK="$CACHE/flink-$FLINK_VERSION-job-server-$BEAM_VERSION"
mkdir -p "$JARS" "$FLINK"
if [ ! -f "$PROTOS/.done" ]; then
  for m in beam-model-pipeline beam-model-job-management beam-model-fn-execution; do
    [ -s "$JARS/$m-$BEAM_VERSION.jar" ] || mvn -q -B dependency:copy -Dartifact="org.apache.beam:$m:$BEAM_VERSION" -DoutputDirectory="$JARS" >&2
  done
  rm -rf "$PROTOS"; mkdir -p "$PROTOS"
  for m in beam-model-pipeline beam-model-job-management beam-model-fn-execution; do
    (cd "$PROTOS" && unzip -q -o "$JARS/$m-$BEAM_VERSION.jar" '*.proto')
  done
  touch "$PROTOS/.done"
fi
if [ "${SKIP_JOB_SERVER:-}" != "1" ] && [ ! -f "$FLINK/.done" ]; then
  cat > "$FLINK/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>logbeam.cache</groupId>
  <artifactId>flink-job-server</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>org.apache.beam</groupId>
      <artifactId>beam-runners-flink-$FLINK_VERSION</artifactId>
      <version>$BEAM_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-simple</artifactId>
      <version>2.0.16</version>
    </dependency>
  </dependencies>
</project>
POM
  (cd "$FLINK" && mvn -q -B dependency:copy-dependencies -DoutputDirectory="$FLINK/lib" -DincludeScope=runtime >&2)
  touch "$FLINK/.done"
fi
echo "$CACHE"
