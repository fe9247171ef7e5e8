#!/usr/bin/env bash
# Runs every test of BusRuntime: unit tests on the in-memory transport and integration tests on a real
# RabbitMQ (and, for the features that need it, PostgreSQL). Installs and starts those servers first
# when they are missing or stopped (scripts/dev-services.sh). The Dapr Node.js SDK tests need Node.js 18+ with
# npm (installed from Debian's packages when missing); they run `npm ci` in tests/BusRuntime.CompatibilityTests/node
# when its packages are missing.
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
