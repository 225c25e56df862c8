#!/usr/bin/env bash
# Fetches, through Maven, Beam's model jars (for the .proto files the portable runner loads at run time) and the
# Beam Flink runner with all its dependencies (an embedded Flink cluster and Beam's job server driver), into
# .cache/beam/. Maven Central as reached here has no prebuilt `beam-runners-flink-<v>-job-server` shaded jar,
# so the job server runs from the resolved class path instead (same main class, FlinkJobServerDriver). The same
# class path starts a multi-process Flink session cluster (test/servers/flink-cluster.ts): it holds flink-runtime
# (JobManager, TaskManager, REST API) and flink-streaming-java. slf4j: Beam and Flink bring slf4j-api 1.7, so the
# binding is slf4j-simple 1.7 (a 2.0 binding is silently ignored by a 1.7 API and nothing would log).
# Also compiles runners/portable/java (logbeam.NoFilesToStage, so a job ships no jars) into support/.
# Idempotent (re-resolves when the dependency list changes); prints the cache directory. Env: BEAM_VERSION (default 2.62.0), FLINK_VERSION (default 1.19).
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
POM="$(cat <<POM
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
      <version>1.7.36</version>
    </dependency>
  </dependencies>
</project>
POM
)"
if [ "${SKIP_JOB_SERVER:-}" != "1" ] && { [ ! -f "$FLINK/.done" ] || [ "$(cat "$FLINK/pom.xml" 2>/dev/null)" != "$POM" ]; }; then
  rm -rf "$FLINK/lib" "$FLINK/.done"
  printf '%s\n' "$POM" > "$FLINK/pom.xml"
  (cd "$FLINK" && mvn -q -B dependency:copy-dependencies -DoutputDirectory="$FLINK/lib" -DincludeScope=runtime >&2)
  touch "$FLINK/.done"
fi
SUPPORT="$FLINK/support"
SOURCES="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/java"
if [ "${SKIP_JOB_SERVER:-}" != "1" ]; then
  STAMP="$(cat "$SOURCES"/logbeam/*.java | sha256sum | cut -d' ' -f1)"
  if [ "$(cat "$SUPPORT/.stamp" 2>/dev/null)" != "$STAMP" ]; then
    rm -rf "$SUPPORT"; mkdir -p "$SUPPORT/classes"
    javac -nowarn -d "$SUPPORT/classes" -cp "$FLINK/lib/*" "$SOURCES"/logbeam/*.java >&2
    (cd "$SUPPORT/classes" && jar cf "$SUPPORT/logbeam-support.jar" logbeam)
    rm -rf "$SUPPORT/classes"
    echo "$STAMP" > "$SUPPORT/.stamp"
  fi
fi
echo "$CACHE"
