#!/usr/bin/env bash
# Start PostgreSQL, Redis and MariaDB on loopback for the runtime tests (test/app-*.test.ts, the adopt corpus).
#
#   bash .ci/services.sh            # installs from Debian packages when missing (and shellcheck), then starts them
#
# Idempotent: running it again reuses whatever is already up. Writes the connection URLs to
# .tmp/services.env (read by test/support/services.ts) and prints them as `export` lines, so
# `eval "$(bash .ci/services.sh)"` also works. Logs go to stderr.
#
# Environment: PG_PORT (default: the cluster's port, normally 5432), REDIS_PORT (default 6379),
# MYSQL_PORT (default 3306). MariaDB runs from its own data directory under .tmp/services/mariadb.
# Tested on Debian 12 (postgresql 15, redis-server 7, mariadb 10.11) as root; uses sudo when not root.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/.tmp/services"
ENV_FILE="$ROOT/.tmp/services.env"
REDIS_PORT="${REDIS_PORT:-6379}"
MYSQL_PORT="${MYSQL_PORT:-3306}"
TEST_ROLE=canary_test
TEST_PASSWORD=canary_test
TEST_DB=canary_test

log() { printf 'services: %s\n' "$*" >&2; }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo); fi

install_missing() {
  local missing=()
  command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v mariadbd >/dev/null 2>&1 || missing+=(mariadb-server)
  # Not a service, but the validation harness needs it and it comes from the same place.
  command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
  [ "${#missing[@]}" -eq 0 ] && return 0
  log "installing ${missing[*]} from Debian packages"
  "${SUDO[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "${missing[@]}" >&2
}

# Prints "<version> <cluster> <port> <status>" of the first PostgreSQL cluster, creating one if none exists.
pg_cluster() {
  if [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
    local version
    version="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -n | tail -n 1)"
    log "creating PostgreSQL $version cluster 'main'"
    "${SUDO[@]}" pg_createcluster "$version" main ${PG_PORT:+--port "$PG_PORT"} >&2
  fi
  pg_lsclusters -h | awk 'NR == 1 {print $1, $2, $3, $4}'
}

as_postgres() { "${SUDO[@]}" runuser -u postgres -- "$@"; }

start_postgres() {
  local version cluster port status
  read -r version cluster port status < <(pg_cluster)
  if [ "$status" != online ]; then
    log "starting PostgreSQL $version/$cluster on port $port"
    "${SUDO[@]}" pg_ctlcluster "$version" "$cluster" start >&2
  fi
  for _ in $(seq 1 50); do
    as_postgres pg_isready -q -h 127.0.0.1 -p "$port" && break
    sleep 0.2
  done
  as_postgres pg_isready -q -h 127.0.0.1 -p "$port" || { log "PostgreSQL did not become ready on 127.0.0.1:$port"; exit 1; }
  # Role with CREATEDB: the tests create one throwaway database per migration test.
  as_postgres psql -q -p "$port" -v ON_ERROR_STOP=1 -d postgres >&2 <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$TEST_ROLE') THEN
    CREATE ROLE $TEST_ROLE LOGIN CREATEDB PASSWORD '$TEST_PASSWORD';
  END IF;
END \$\$;
SQL
  if [ -z "$(as_postgres psql -p "$port" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$TEST_DB'")" ]; then
    as_postgres createdb -p "$port" -O "$TEST_ROLE" "$TEST_DB" >&2
  fi
  PG_URL="postgres://$TEST_ROLE:$TEST_PASSWORD@127.0.0.1:$port/$TEST_DB"
}

start_redis() {
  if [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null || true)" != PONG ]; then
    log "starting Redis on 127.0.0.1:$REDIS_PORT"
    mkdir -p "$STATE"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --save '' --appendonly no \
      --dir "$STATE" --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log" >&2
    for _ in $(seq 1 50); do
      [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null || true)" = PONG ] && break
      sleep 0.1
    done
  fi
  [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null || true)" = PONG ] || { log "Redis did not answer PING on 127.0.0.1:$REDIS_PORT"; exit 1; }
  REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
}

mysql_ping() { mariadb-admin --protocol=tcp -h 127.0.0.1 -P "$MYSQL_PORT" -u "$TEST_ROLE" -p"$TEST_PASSWORD" ping >/dev/null 2>&1; }

start_mariadb() {
  # Socket, pid and log live in the data directory: the server user owns it (and may own nothing else here).
  local data="$STATE/mariadb" sock="$STATE/mariadb/mariadb.sock" user=()
  if ! mysql_ping; then
    mkdir -p "$data"
    # As root the server runs as the package's mysql user; otherwise as whoever runs this script.
    if [ "$(id -u)" -eq 0 ]; then user=(--user=mysql); chown mysql:mysql "$data"; fi
    if [ ! -d "$data/mysql" ]; then
      log "initialising MariaDB in ${data#"$ROOT"/}"
      mariadb-install-db "${user[@]}" --datadir="$data" --auth-root-authentication-method=socket --skip-test-db >&2
    fi
    if ! mariadb-admin --socket="$sock" -u root ping >/dev/null 2>&1; then
      log "starting MariaDB on 127.0.0.1:$MYSQL_PORT"
      setsid mariadbd "${user[@]}" --datadir="$data" --bind-address=127.0.0.1 --port="$MYSQL_PORT" --socket="$sock" \
        --pid-file="$data/mariadb.pid" --log-error="$data/mariadb.log" --skip-name-resolve </dev/null >/dev/null 2>&1 &
    fi
    for _ in $(seq 1 100); do
      mariadb-admin --socket="$sock" -u root ping >/dev/null 2>&1 && break
      sleep 0.2
    done
    mariadb --socket="$sock" -u root >&2 <<SQL
CREATE DATABASE IF NOT EXISTS $TEST_DB;
CREATE USER IF NOT EXISTS '$TEST_ROLE'@'127.0.0.1' IDENTIFIED BY '$TEST_PASSWORD';
CREATE USER IF NOT EXISTS '$TEST_ROLE'@'localhost' IDENTIFIED BY '$TEST_PASSWORD';
GRANT ALL ON *.* TO '$TEST_ROLE'@'127.0.0.1';
GRANT ALL ON *.* TO '$TEST_ROLE'@'localhost';
SQL
  fi
  mysql_ping || { log "MariaDB did not answer on 127.0.0.1:$MYSQL_PORT (see ${STATE#"$ROOT"/}/mariadb/mariadb.log)"; exit 1; }
  MYSQL_URL="mysql://$TEST_ROLE:$TEST_PASSWORD@127.0.0.1:$MYSQL_PORT/$TEST_DB"
}

install_missing
start_postgres
start_redis
start_mariadb
mkdir -p "$(dirname "$ENV_FILE")"
printf 'TEST_DATABASE_URL=%s\nTEST_REDIS_URL=%s\nTEST_MYSQL_URL=%s\n' "$PG_URL" "$REDIS_URL" "$MYSQL_URL" >"$ENV_FILE"
log "ready; URLs written to ${ENV_FILE#"$ROOT"/}"
printf 'export TEST_DATABASE_URL=%q\nexport TEST_REDIS_URL=%q\nexport TEST_MYSQL_URL=%q\n' "$PG_URL" "$REDIS_URL" "$MYSQL_URL"
