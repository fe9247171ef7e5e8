#!/usr/bin/env bash
# End-to-end publish benchmark (docs/benchmarks.md): builds the sidecar, the load driver and the stack floor in Release,
# makes sure RabbitMQ runs (scripts/dev-services.sh), then measures (a) raw MassTransit publishing
# against (b) the sidecar's gRPC PublishEvent on the same broker and prints the ratio b/a.
# The driver's defaults are the documented ones: 20,000 messages x 2 rounds per mode, 32 concurrent callers,
# 1 KB payloads, 2,000 warm-up messages, RabbitMQ at amqp://guest:guest@127.0.0.1:5672/.
# Usage: scripts/bench.sh [load driver options, e.g. --json or --messages 50000 --concurrency 64]
#        scripts/bench.sh state [options]    store calls through the sidecar against the same store in-process
#        scripts/bench.sh invoke [options]   an invocation through two sidecars and RabbitMQ against a direct gRPC call
#                                            and against the bus alone (the stack floor answering, no sidecars)
#        scripts/bench.sh config [options]   how long a configuration change takes to reach another sidecar's subscriber
#        scripts/bench.sh workflow [options] 3-step workflows per second and their completion time (RabbitMQ + PostgreSQL)
#        scripts/bench.sh cluster            publish and invoke on the single node (classic queues) and on a 3-node
#                                            cluster (scripts/rabbitmq-cluster.sh, quorum queues), side by side
#        scripts/bench.sh startup [options]  start the sidecar 5 times: start -> readiness UP (min, median), idle RSS; the
#                                            same for the stack floor (bench/BusRuntime.StackFloor), started alternately
#        scripts/bench.sh all                every figure of issue 20 in one run (shorter runs than each command's
#                                            defaults; ~5 minutes on 2 cores, build excluded), then a table: figure,
#                                            target, measured (beside it, where measured, the stack floor's: the same
#                                            libraries with nothing of BusRuntime), met or not. BENCH_FIGURES=<file>
#                                            keeps the figures.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "[bench] building Release"
dotnet build src/BusRuntime.Sidecar -c Release -nologo -clp:ErrorsOnly
dotnet build bench/BusRuntime.LoadDriver -c Release -nologo -clp:ErrorsOnly
dotnet build bench/BusRuntime.StackFloor -c Release -nologo -clp:ErrorsOnly

bash scripts/dev-services.sh

driver=bench/BusRuntime.LoadDriver/bin/Release/net10.0/busruntime-loaddriver.dll

if [ "${1:-}" = cluster ]; then
  # Smaller runs than the defaults (four runs in one): 5,000 publishes x 2 rounds; invoke at 200/s and with 8 callers.
  shift
  bash scripts/rabbitmq-cluster.sh up
  single=amqp://guest:guest@127.0.0.1:5672/
  cluster=amqp://guest:guest@127.0.0.1:5681/,amqp://guest:guest@127.0.0.1:5682/,amqp://guest:guest@127.0.0.1:5683/
  out=$(mktemp -d)
  for broker in single cluster; do
    uri=$single
    [ "$broker" = cluster ] && uri=$cluster
    echo "[bench] publish on the $broker broker ($uri)"
    dotnet "$driver" --rabbitmq "$uri" --messages 5000 --warmup 5000 --rounds 2 "$@" | tee "$out/publish-$broker.txt"
    echo "[bench] invoke on the $broker broker ($uri)"
    dotnet "$driver" invoke --rabbitmq "$uri" --rate 200 --rate-calls 2000 --calls 5000 --concurrency 8 --warmup 2000 --rounds 1 | tee "$out/invoke-$broker.txt"
  done
  echo
  echo "[bench] side by side (through the sidecar; single node: classic queues, cluster: 3 nodes, quorum queues)"
  printf '%-34s %12s %12s %12s %12s\n' "" "single msg/s" "single p99" "cluster msg/s" "cluster p99"
  row() {
    local label=$1 file=$2 pattern=$3 n=$4 rate=$5 p99=$6
    local a b
    a=$(grep -E "$pattern" "$out/$file-single.txt" | sed -n "${n}p" | awk -v r="$rate" -v p="$p99" '{print $r, $p}' || true)
    b=$(grep -E "$pattern" "$out/$file-cluster.txt" | sed -n "${n}p" | awk -v r="$rate" -v p="$p99" '{print $r, $p}' || true)
    printf '%-34s %12s %12s %12s %12s\n' "$label" ${a:-n/a n/a} ${b:-n/a n/a}
  }
  row "publish (gRPC PublishEvent)" publish '^\(b\) sidecar gRPC' 1 5 8
  row "invoke at 200/s" invoke '^\(b\) A->sidecar' 1 3 6
  row "invoke, 8 callers" invoke '^\(b\) A->sidecar' 2 3 6
  rm -rf "$out"
  exit 0
fi

if [ "${1:-}" = all ]; then
  # Each benchmark writes its full report as it ends and appends its headline figures to one file; summary puts
  # them against issue 20's targets. Sizes are cut from each command's defaults so the whole run stays usable.
  shift
  figures=${BENCH_FIGURES:-$(mktemp)}
  : > "$figures"
  started=$(date +%s)
  step() { echo; echo "[bench] $* ($(( $(date +%s) - started )) s in)"; }
  step "publish: sidecar vs raw MassTransit, RSS idle/peak, allocations per publish"
  dotnet "$driver" --messages 10000 --warmup 10000 --rounds 2 --figures "$figures"
  # The publish and state benchmarks run again with the stack floor (gRPC in front of MassTransit, or of a dictionary)
  # in the sidecar's place: what the stack alone reaches. Their figures are filed as floor.publish_* and floor.state_*.
  floor=bench/BusRuntime.StackFloor/bin/Release/net10.0/busruntime-stackfloor.dll
  floor_figures=$(mktemp)
  trap 'rm -f "$floor_figures"' EXIT
  step "publish: the stack floor in the sidecar's place"
  dotnet "$driver" --messages 10000 --warmup 10000 --rounds 2 --figures "$floor_figures" --sidecar-path "$floor"
  step "start-up: 5 starts of the sidecar and of the stack floor, alternating"
  dotnet "$driver" startup --starts 5 --figures "$figures"
  step "state: a get through the sidecar vs in-process, in memory and PostgreSQL, 1 caller"
  dotnet "$driver" state --backend InMemory Postgres --concurrency 1 --calls 5000 --warmup 10000 --rounds 2 --figures "$figures"
  step "state: the stack floor (a dictionary behind gRPC) in the sidecar's place, in memory"
  dotnet "$driver" state --backend InMemory --concurrency 1 --calls 5000 --warmup 10000 --rounds 2 --figures "$floor_figures" --sidecar-path "$floor"
  sed -e 's/^publish\./floor.publish_/' -e 's/^state\./floor.state_/' "$floor_figures" >> "$figures"
  rm -f "$floor_figures"
  step "invoke: at 1000/s through two sidecars and on the bus alone (the stack floor answering), CPU and allocations per call"
  dotnet "$driver" invoke --rate 1000 --rate-calls 10000 --calls 5000 --warmup 10000 --rounds 1 --figures "$figures"
  step "journal: on vs off"
  dotnet "$driver" journal --messages 10000 --warmup 10000 --rounds 2 --figures "$figures"
  step "issue 20's figures (one run on a shared machine: ratios and latencies move with the neighbours' load)"
  dotnet "$driver" summary --figures "$figures"
  echo "[bench] all took $(( $(date +%s) - started )) s; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
  [ -n "${BENCH_FIGURES:-}" ] || rm -f "$figures"
  exit 0
fi

echo "[bench] running the load driver"
dotnet "$driver" "$@"
