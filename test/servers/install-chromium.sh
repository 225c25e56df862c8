#!/usr/bin/env bash
# Installs Debian's chromium package, which the run-report tests drive headless through playwright-core
# (playwright never downloads a browser of its own here). Idempotent: does nothing when /usr/bin/chromium
# runs. Needs root (or sudo) for apt-get; called by .ci/run.
set -euo pipefail
CHROMIUM="${LOGBEAM_CHROMIUM:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ] && "$CHROMIUM" --headless --no-sandbox --disable-gpu --version >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
"$CHROMIUM" --headless --no-sandbox --disable-gpu --version
