#!/usr/bin/env bash
# Installs (Debian packages) and starts the servers the integration tests and the RabbitMQ/PostgreSQL
# modes need, then waits until each answers. Safe to run any number of times: a run that finds everything
# in place restarts and reloads nothing.
#   RabbitMQ   amqp://guest:guest@127.0.0.1:5672/ and, over TLS, amqps://guest:guest@127.0.0.1:5671/
#   PostgreSQL 127.0.0.1:5432, user postgres, password postgres; plain or SSL (SSL Mode=VerifyFull)
#   Redis      127.0.0.1:6379, no password (the state.redis and lock.redis components)
# The TLS listeners use a throwaway CA and a server certificate for localhost, 127.0.0.1 and ::1, made once
# per machine in /var/lib/busruntime-dev/tls (the servers are the machine's, shared by every checkout);
# this checkout's tests find copies in .dev/tls/ (git-ignored): ca.pem, server.pem, server.key.
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

machine_tls=/var/lib/busruntime-dev/tls
repo_tls="$(cd "$(dirname "$0")/.." && pwd)/.dev/tls"

# The CA's key signs the one server certificate and is thrown away: nothing else can ever be signed by it.
generate_tls() {
  local work
  work=$(mktemp -d)
  log "generating a throwaway CA and a server certificate for localhost, 127.0.0.1 and ::1"
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -subj "/CN=BusRuntime development CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
    "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" >"$work/server.ext"
  openssl x509 -req -sha256 -days 3650 -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
    -CAcreateserial -extfile "$work/server.ext" -out "$work/server.pem" 2>/dev/null
  as_root install -d -m 0755 "$machine_tls"
  as_root install -m 0644 "$work/ca.pem" "$work/server.pem" "$machine_tls/"
  as_root install -m 0600 "$work/server.key" "$machine_tls/"
  rm -rf "$work"
}

ensure_tls() {
  ensure_package openssl
  # Made again only when missing or within 30 days of expiring.
  if ! as_root test -s "$machine_tls/server.key" ||
     ! as_root openssl verify -CAfile "$machine_tls/ca.pem" "$machine_tls/server.pem" >/dev/null 2>&1 ||
     ! as_root openssl x509 -checkend 2592000 -noout -in "$machine_tls/server.pem" >/dev/null 2>&1; then
    generate_tls
  fi
  mkdir -p "$repo_tls"
  local file
  for file in ca.pem server.pem server.key; do
    if ! as_root cmp -s "$machine_tls/$file" "$repo_tls/$file"; then
      as_root install -m "$([ "$file" = server.key ] && echo 0600 || echo 0644)" -o "$(id -u)" -g "$(id -g)" \
        "$machine_tls/$file" "$repo_tls/$file"
    fi
  done
}

# Copies a file into place unless it is already there as it is; returns 1 (no change) or 0 (changed).
install_changed() {
  local source=$1 target=$2 mode=$3 owner=$4
  if as_root cmp -s "$source" "$target"; then
    return 1
  fi
  as_root install -m "$mode" -o "${owner%:*}" -g "${owner#*:}" "$source" "$target" ||
    { log "could not write $target"; exit 1; }
}

# RabbitMQ reads /etc/rabbitmq/conf.d/*.conf after rabbitmq.conf: the listeners, on loopback, and TLS's files.
configure_rabbitmq_tls() {
  local changed=1 conf
  as_root install -d -m 0750 -o root -g rabbitmq /etc/rabbitmq/tls
  as_root mkdir -p /etc/rabbitmq/conf.d
  install_changed "$machine_tls/ca.pem" /etc/rabbitmq/tls/ca.pem 0644 root:rabbitmq && changed=0
  install_changed "$machine_tls/server.pem" /etc/rabbitmq/tls/server.pem 0644 root:rabbitmq && changed=0
  install_changed "$machine_tls/server.key" /etc/rabbitmq/tls/server.key 0640 root:rabbitmq && changed=0
  conf=$(mktemp)
  cat >"$conf" <<'CONF'
# Written by BusRuntime's scripts/dev-services.sh: the plain listener on 5672 and a TLS one on 5671, on loopback
# only (a development broker with guest/guest is nobody else's business).
listeners.tcp.default = 127.0.0.1:5672
listeners.ssl.default = 127.0.0.1:5671
ssl_options.cacertfile = /etc/rabbitmq/tls/ca.pem
ssl_options.certfile = /etc/rabbitmq/tls/server.pem
ssl_options.keyfile = /etc/rabbitmq/tls/server.key
ssl_options.verify = verify_peer
ssl_options.fail_if_no_peer_cert = false
ssl_options.versions.1 = tlsv1.3
ssl_options.versions.2 = tlsv1.2
CONF
  install_changed "$conf" /etc/rabbitmq/conf.d/90-busruntime-tls.conf 0644 root:rabbitmq && changed=0
  rm -f "$conf"
  return "$changed"
}

start_rabbitmq() {
  ensure_package rabbitmq-server
  local running=0
  as_root rabbitmqctl -q status >/dev/null 2>&1 && running=1
  if configure_rabbitmq_tls && [ "$running" -eq 1 ]; then
    # The node reads its configuration files only when it boots.
    log "restarting RabbitMQ: its listeners or TLS configuration changed"
    if command -v systemctl >/dev/null 2>&1 && systemctl is-system-running >/dev/null 2>&1; then
      as_root systemctl restart rabbitmq-server
    else
      as_root service rabbitmq-server restart >/dev/null 2>&1 || { as_root rabbitmqctl -q stop || true; as_root rabbitmq-server -detached; }
    fi
  elif [ "$running" -eq 0 ]; then
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
  wait_until "RabbitMQ AMQPS port" 60 bash -c 'exec 3<>/dev/tcp/127.0.0.1/5671'
}

# ssl = on through the cluster's conf.d (read after postgresql.conf); pg_hba's "host" lines take plain and
# SSL connections alike, so plain clients keep working. SSL settings take effect on a reload.
configure_postgresql_tls() {
  local version=$1 changed=1 directory conf
  directory=/etc/postgresql/$version/main/busruntime-tls
  as_root install -d -m 0700 -o postgres -g postgres "$directory"
  as_root mkdir -p "/etc/postgresql/$version/main/conf.d"
  install_changed "$machine_tls/server.pem" "$directory/server.pem" 0644 postgres:postgres && changed=0
  install_changed "$machine_tls/server.key" "$directory/server.key" 0600 postgres:postgres && changed=0
  conf=$(mktemp)
  cat >"$conf" <<CONF
# Written by BusRuntime's scripts/dev-services.sh: SSL with the development certificate; plain stays allowed.
ssl = on
ssl_cert_file = '$directory/server.pem'
ssl_key_file = '$directory/server.key'
CONF
  install_changed "$conf" "/etc/postgresql/$version/main/conf.d/90-busruntime-tls.conf" 0644 postgres:postgres && changed=0
  rm -f "$conf"
  return "$changed"
}

start_postgresql() {
  ensure_package postgresql
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    configure_postgresql_tls "$version" || true
    log "starting PostgreSQL"
    as_root pg_ctlcluster "$version" main start || as_root service postgresql start
  elif configure_postgresql_tls "$version"; then
    log "reloading PostgreSQL: its SSL configuration changed"
    as_root pg_ctlcluster "$version" main reload
  fi
  wait_until "PostgreSQL" 60 pg_isready -h 127.0.0.1 -p 5432
  as_root su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres';\"" >/dev/null
  wait_until "PostgreSQL over SSL" 30 env PGPASSWORD=postgres PGCONNECT_TIMEOUT=5 psql -q -t -c 'SELECT 1' \
    "host=127.0.0.1 port=5432 user=postgres dbname=postgres sslmode=verify-full sslrootcert=$repo_tls/ca.pem"
}

# Debian's package starts the server on 127.0.0.1:6379 where systemd runs; elsewhere it is started here as
# the redis user with the package's own configuration (daemonized, loopback only).
start_redis() {
  ensure_package redis-server
  if redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then
    return
  fi
  log "starting Redis"
  if command -v systemctl >/dev/null 2>&1 && systemctl is-system-running >/dev/null 2>&1; then
    as_root systemctl start redis-server
  else
    as_root service redis-server start >/dev/null 2>&1 ||
      as_root su -s /bin/sh redis -c 'redis-server /etc/redis/redis.conf --daemonize yes --bind 127.0.0.1 --port 6379'
  fi
  wait_until "Redis" 60 bash -c 'redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG'
}

ensure_tls
start_rabbitmq
start_postgresql
start_redis
log "ready: RabbitMQ amqp://guest:guest@127.0.0.1:5672/ (amqps on 5671), PostgreSQL Host=127.0.0.1;Username=postgres;Password=postgres (SSL too) and Redis 127.0.0.1:6379; CA .dev/tls/ca.pem"
