#!/usr/bin/env bash
# Installs (Debian packages) and starts the servers the integration tests and the RabbitMQ/PostgreSQL
# modes need, then waits until each answers. Safe to run any number of times.
#   RabbitMQ   amqp://guest:guest@127.0.0.1:5672/
#   PostgreSQL 127.0.0.1:5432, user postgres, password postgres
set -euo pipefail

log() { printf '[dev-services] %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
ensure_package() {
  local package=$1
  if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    return
  fi
  if [ "$apt_updated" -eq 0 ]; then
    log "apt-get update"
    as_root apt-get update -qq
    apt_updated=1
  fi
  log "installing $package"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
}

wait_until() {
  local what=$1 seconds=$2; shift 2
  local waited=0
  until "$@" >/dev/null 2>&1; do
    if [ "$waited" -ge "$seconds" ]; then
      log "$what did not answer within ${seconds}s"
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  log "$what is up"
}

start_rabbitmq() {
  ensure_package rabbitmq-server
  if ! as_root rabbitmqctl -q status >/dev/null 2>&1; then
    log "starting RabbitMQ"
    if command -v systemctl >/dev/null 2>&1 && systemctl is-system-running >/dev/null 2>&1; then
      as_root systemctl start rabbitmq-server
    else
      as_root service rabbitmq-server start >/dev/null 2>&1 || as_root rabbitmq-server -detached
    fi
  fi
  wait_until "RabbitMQ" 120 as_root rabbitmqctl -q await_startup
  # guest may only log in from loopback, which is where every client of a dev machine is.
  wait_until "RabbitMQ AMQP port" 60 bash -c 'exec 3<>/dev/tcp/127.0.0.1/5672'
}

start_postgresql() {
  ensure_package postgresql
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    log "starting PostgreSQL"
    local version
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    as_root pg_ctlcluster "$version" main start || as_root service postgresql start
  fi
  wait_until "PostgreSQL" 60 pg_isready -h 127.0.0.1 -p 5432
  as_root su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres';\"" >/dev/null
}

start_rabbitmq
start_postgresql
log "ready: RabbitMQ amqp://guest:guest@127.0.0.1:5672/ and PostgreSQL Host=127.0.0.1;Username=postgres;Password=postgres"
