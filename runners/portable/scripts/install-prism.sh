#!/usr/bin/env bash
# Installs Beam's Go portable runner Prism (`github.com/apache/beam/sdks/v2/go/cmd/prism`) into .cache/prism/bin
# with `go install` through the Go module proxy. Idempotent; prints the binary's path. Env: PRISM_VERSION
# (default v2.62.0, the Beam release of the protos and the Flink job server).
# The checksum database (sum.golang.org) is not reachable from every network (it is not here), so Beam's own
# module is exempted from it with GONOSUMDB; its dependencies are still checked against Beam's go.sum.
set -euo pipefail
PRISM_VERSION="${PRISM_VERSION:-v2.62.0}"
# The package root (logbeam's package.json): the same cache from the sources, dist/ or node_modules/logbeam.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
until [ -f "$ROOT/package.json" ] && grep -q '"name": *"logbeam"' "$ROOT/package.json"; do
  [ "$ROOT" = / ] && { echo "no logbeam package.json above $(dirname "${BASH_SOURCE[0]}")" >&2; exit 1; }
  ROOT="$(dirname "$ROOT")"
done
CACHE="${LOGBEAM_PRISM_CACHE:-$ROOT/.cache/prism}"
BIN="$CACHE/bin/prism"
STAMP="$CACHE/bin/.version"
if [ -x "$BIN" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$PRISM_VERSION" ]; then echo "$BIN"; exit 0; fi
command -v go >/dev/null || { echo "Go is not installed (Prism is built with go install)" >&2; exit 1; }
mkdir -p "$CACHE/bin"
GOBIN="$CACHE/bin" GOPATH="${GOPATH_OVERRIDE:-$ROOT/.cache/go}" GOFLAGS="${GOFLAGS:-} -modcacherw" \
  GONOSUMDB="github.com/apache/beam${GONOSUMDB:+,$GONOSUMDB}" \
  go install "github.com/apache/beam/sdks/v2/go/cmd/prism@$PRISM_VERSION" >&2
echo "$PRISM_VERSION" > "$STAMP"
echo "$BIN"
