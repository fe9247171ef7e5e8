#!/usr/bin/env bash
# End-to-end publish benchmark (docs/benchmarks.md): builds the sidecar and the load driver in Release,
# makes sure RabbitMQ runs (scripts/dev-services.sh), then measures (a) raw MassTransit publishing
# against (b) the sidecar's gRPC PublishEvent on the same broker and prints the ratio b/a.
# The driver's defaults are the documented ones: 20,000 messages x 2 rounds per mode, 32 concurrent callers,
# 1 KB payloads, 2,000 warm-up messages, RabbitMQ at amqp://guest:guest@127.0.0.1:5672/.
# Usage: scripts/bench.sh [load driver options, e.g. --json or --messages 50000 --concurrency 64]
#        scripts/bench.sh state [options]    store calls through the sidecar against the same store in-process
#        scripts/bench.sh invoke [options]   an invocation through two sidecars and RabbitMQ against a direct gRPC call
#        scripts/bench.sh config [options]   how long a configuration change takes to reach another sidecar's subscriber
#        scripts/bench.sh workflow [options] 3-step workflows per second and their completion time (RabbitMQ + PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."

echo "[bench] building Release"
dotnet build src/BusRuntime.Sidecar -c Release -nologo -clp:ErrorsOnly
dotnet build bench/BusRuntime.LoadDriver -c Release -nologo -clp:ErrorsOnly

bash scripts/dev-services.sh

echo "[bench] running the load driver"
dotnet bench/BusRuntime.LoadDriver/bin/Release/net10.0/busruntime-loaddriver.dll "$@"
