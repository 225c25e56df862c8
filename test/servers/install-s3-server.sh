#!/usr/bin/env bash
# Installs moto's standalone S3-compatible server (PyPI `moto[server]`) into a venv under .cache/, once.
# Idempotent: does nothing when the venv is complete. Called by .ci/run and, when the venv is missing, by
# test/servers/s3-server.ts itself, so a fresh machine needs no manual step.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${LOGBEAM_S3_VENV:-$ROOT/.cache/s3-venv}"
MOTO_VERSION="${LOGBEAM_MOTO_VERSION:-5.2.5}"
PYTHON="${PYTHON:-python3}"
MARKER="$VENV/.logbeam-installed-$MOTO_VERSION"

if [ -f "$MARKER" ] && [ -x "$VENV/bin/moto_server" ]; then
  exit 0
fi
# A half-finished venv (interrupted install) has no marker: start over.
rm -rf "$VENV"
mkdir -p "$(dirname "$VENV")"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
"$VENV/bin/python" -c 'import moto.server'
touch "$MARKER"
echo "moto server $MOTO_VERSION installed in $VENV"
