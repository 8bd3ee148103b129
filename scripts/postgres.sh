#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on 127.0.0.1 for the web tests and print its DATABASE_URL.
#
#   eval "$(scripts/postgres.sh start)"   # exports GOVLENS_TEST_DATABASE_URL and DATABASE_URL, PGDATA_DIR
#   scripts/postgres.sh stop DIR          # stops the cluster started in DIR and removes DIR
#
# Installs Debian's PostgreSQL when it is missing (needs root). PostgreSQL refuses to run as root, so as
# root the cluster runs as the `postgres` system user (created by the Debian package).
set -euo pipefail

# a free loopback port unless one is given, so several clusters (tests, benchmarks) can run side by side
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
PORT="${GOVLENS_PG_PORT:-$(free_port)}"
DB_NAME="${GOVLENS_PG_DB:-govlens}"
DB_USER="${GOVLENS_PG_USER:-govlens}"
DB_PASSWORD="${GOVLENS_PG_PASSWORD:-govlens-test}"

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

ensure_installed() {
  if find_bin >/dev/null; then return 0; fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL is not installed and installing it needs root (apt-get install -y postgresql)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || true
  apt-get install -y -qq postgresql >&2
}

# Run a command as the cluster's owner: ourselves, or `postgres` when we are root.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  ensure_installed
  local bin dir
  bin="$(find_bin)"
  dir="$(mktemp -d /tmp/govlens-pg.XXXXXX)"
  chmod 755 "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2; exit 1; }
  # Sockets in the temp folder, TCP on 127.0.0.1 only; fsync off: a throwaway cluster for tests.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$dir -c fsync=off -c full_page_writes=off" \
    start >&2 || { cat "$dir/server.log" >&2; exit 1; }
  as_owner "$bin/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD'" \
    -c "CREATE DATABASE $DB_NAME OWNER $DB_USER" >&2
  local url="postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:$PORT/$DB_NAME"
  echo "export GOVLENS_TEST_DATABASE_URL='$url'"
  echo "export DATABASE_URL='$url'"
  echo "export GOVLENS_PG_DIR='$dir'"
}

stop() {
  local dir="${1:-${GOVLENS_PG_DIR:-}}"
  if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then
    echo "usage: $0 stop DIR (the GOVLENS_PG_DIR printed by start)" >&2
    exit 1
  fi
  as_owner "$(find_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  rm -rf "$dir"
}

case "${1:-start}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 1 ;;
esac
