#!/usr/bin/env bash
# A 3-node RabbitMQ cluster on this machine, for the cluster tests and benchmarks, next to and independent of the
# single development broker on 5672 (scripts/dev-services.sh), from Debian's rabbitmq-server (installed when
# missing). Nodes busruntime-1..3 on this host (so `rabbitmqctl -n busruntime-2 ...` works), AMQP on 5681..5683,
# Erlang distribution on 25681..25683 (all on loopback only), data and logs under /var/lib/busruntime-cluster/busruntime-N, the
# rabbitmq user's Erlang cookie (the one `rabbitmqctl` uses), no plugins.
#   up            starts the nodes that are not running, clusters them, returns when all three run together
#   down          stops every node and removes their data
#   status        each node: running or not, and the cluster's running members
#   stop-node N   stops node N cleanly;  start-node N  starts it again (it rejoins)
#   kill-node N   kill -9 of node N's VM
# URL list for the sidecar: amqp://guest:guest@127.0.0.1:5681/,amqp://guest:guest@127.0.0.1:5682/,amqp://guest:guest@127.0.0.1:5683/
set -euo pipefail

log() { printf '[rabbitmq-cluster] %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

base=/var/lib/busruntime-cluster
host=$(hostname -s)
nodes=(1 2 3)

node_name() { echo "busruntime-$1@$host"; }
node_dir() { echo "$base/busruntime-$1"; }
amqp_port() { echo $((5680 + $1)); }
dist_port() { echo $((25680 + $1)); }

ensure_server() {
  if dpkg-query -W -f='${Status}' rabbitmq-server 2>/dev/null | grep -q 'install ok installed'; then
    return
  fi
  log "installing rabbitmq-server"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >/dev/null
}

ctl() { local n=$1; shift; as_root rabbitmqctl -q -n "$(node_name "$n")" "$@"; }

running() { ctl "$1" eval 'ok.' >/dev/null 2>&1; }

# A node of its own: its config (no TLS listener of /etc/rabbitmq/conf.d), its plugins file, its data and logs.
prepare_node() {
  local n=$1 dir
  dir=$(node_dir "$n")
  as_root install -d -m 0750 -o rabbitmq -g rabbitmq "$dir" "$dir/conf.d" "$dir/log" "$dir/mnesia"
  printf '%s\n' \
    "listeners.tcp.1 = 127.0.0.1:$(amqp_port "$n")" \
    "loopback_users.guest = true" \
    "log.file.level = warning" \
    "vm_memory_high_watermark.relative = 0.2" \
    "cluster_partition_handling = pause_minority" \
    "cluster_formation.peer_discovery_backend = classic_config" \
    "cluster_formation.classic_config.nodes.1 = $(node_name 1)" \
    "cluster_formation.classic_config.nodes.2 = $(node_name 2)" \
    "cluster_formation.classic_config.nodes.3 = $(node_name 3)" \
    "cluster_formation.randomized_startup_delay_range.min = 0" \
    "cluster_formation.randomized_startup_delay_range.max = 1" |
    as_root tee "$dir/rabbitmq.conf" >/dev/null
  echo '[].' | as_root tee "$dir/enabled_plugins" >/dev/null
  as_root chown rabbitmq:rabbitmq "$dir/rabbitmq.conf" "$dir/enabled_plugins"
}

start_node() {
  local n=$1 dir
  if running "$n"; then
    return
  fi
  prepare_node "$n"
  dir=$(node_dir "$n")
  log "starting $(node_name "$n") on port $(amqp_port "$n")"
  local env="HOME=/var/lib/rabbitmq RABBITMQ_NODENAME=$(node_name "$n") RABBITMQ_NODE_PORT=$(amqp_port "$n")"
  env+=" RABBITMQ_DIST_PORT=$(dist_port "$n") RABBITMQ_CONFIG_FILE=$dir/rabbitmq.conf RABBITMQ_CONFIG_FILES=$dir/conf.d"
  env+=" RABBITMQ_ADVANCED_CONFIG_FILE=$dir/advanced.config RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins"
  env+=" RABBITMQ_MNESIA_BASE=$dir/mnesia RABBITMQ_LOG_BASE=$dir/log RABBITMQ_PID_FILE=$dir/pid"
  # Loopback only, for clients and for the nodes' own distribution traffic alike.
  env+=" RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='+S 2:2 +sbwt none +sbwtdcpu none +sbwtdio none -kernel inet_dist_use_interface {127,0,0,1}'"
  # The node runs for longer than this script: it must not inherit the caller's descriptors (a test runner's
  # pipes, a lock), or the caller waits for it, or a lock is held as long as the node lives.
  (
    for fd in /proc/self/fd/*; do
      fd=${fd##*/}
      if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    cd /
    as_root setsid su rabbitmq -s /bin/sh -c "cd $dir && exec env $env /usr/lib/rabbitmq/bin/rabbitmq-server" \
      </dev/null >>"$dir/log/startup.log" 2>&1 &
  )
}

# await_startup fails at once until the node has registered with epmd, so it is retried until it answers.
await_node() {
  local n=$1 waited=0
  until ctl "$n" await_startup --timeout 10 >/dev/null 2>&1; do
    if [ "$waited" -ge 120 ]; then
      log "$(node_name "$n") did not start within 120s; see $(node_dir "$n")/log"
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

members() { ctl "$1" eval 'length(rabbit_nodes:all_running()).' 2>/dev/null || echo 0; }

join() {
  local n=$1
  if ctl "$n" eval 'lists:member('"'$(node_name 1)'"', rabbit_nodes:all()).' 2>/dev/null | grep -q true; then
    return
  fi
  log "joining $(node_name "$n") to $(node_name 1)"
  {
    ctl "$n" stop_app
    ctl "$n" reset
    ctl "$n" join_cluster "$(node_name 1)"
    ctl "$n" start_app
  } >>"$(node_dir "$n")/log/startup.log" 2>&1
}

node_pid() {
  local n=$1
  as_root cat "$(node_dir "$n")/pid" 2>/dev/null || pgrep -f -- "-sname $(node_name "$n")" | head -1
}

check_node_arg() {
  case "${1:-}" in 1 | 2 | 3) ;; *) echo "usage: $0 ${2} 1|2|3" >&2; exit 2 ;; esac
}

command=${1:-}
case "$command" in
  up)
    ensure_server
    # The first node first: the others find it running and join it as they boot (classic_config peer discovery).
    start_node 1
    await_node 1
    for n in 2 3; do start_node "$n"; done
    for n in 2 3; do await_node "$n"; done
    for n in 2 3; do join "$n"; done
    waited=0
    until [ "$(members 1)" = 3 ]; do
      if [ "$waited" -ge 60 ]; then log "the cluster did not form within 60s"; exit 1; fi
      sleep 1
      waited=$((waited + 1))
    done
    log "up: $(node_name 1), $(node_name 2), $(node_name 3) on ports 5681, 5682, 5683"
    ;;
  down)
    for n in "${nodes[@]}"; do
      if running "$n"; then
        ctl "$n" stop >/dev/null 2>&1 || true
      fi
      pid=$(node_pid "$n" || true)
      if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then as_root kill -9 "$pid" || true; fi
    done
    as_root rm -rf "$base"
    log "down"
    ;;
  status)
    for n in "${nodes[@]}"; do
      if running "$n"; then echo "$(node_name "$n") running (port $(amqp_port "$n"), $(members "$n") running members)"; else echo "$(node_name "$n") stopped"; fi
    done
    ;;
  stop-node)
    check_node_arg "${2:-}" "$command"
    ctl "$2" stop
    ;;
  start-node)
    check_node_arg "${2:-}" "$command"
    start_node "$2"
    await_node "$2"
    ;;
  kill-node)
    check_node_arg "${2:-}" "$command"
    pid=$(node_pid "$2")
    if [ -z "$pid" ]; then log "$(node_name "$2") is not running"; exit 1; fi
    as_root kill -9 "$pid"
    log "killed $(node_name "$2") (pid $pid)"
    ;;
  *)
    echo "usage: $0 up|down|status|stop-node N|start-node N|kill-node N" >&2
    exit 2
    ;;
esac
