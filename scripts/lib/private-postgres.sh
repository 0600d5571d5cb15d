#!/usr/bin/env bash
# A private, throw-away PostgreSQL cluster that the fault suite may restart for real (the shared
# server on 5432 is never touched). Run as root: the cluster runs as the `postgres` OS user.
#
# Usage:
#   scripts/lib/private-postgres.sh start DIR           initdb into DIR/data (DIR: an empty folder),
#                                                        start on a free loopback port (written to
#                                                        DIR/port), trust auth, check pgvector
#   scripts/lib/private-postgres.sh restart DIR MODE    pg_ctl restart -m MODE (fast | immediate | smart),
#                                                        waiting until it accepts connections again
#   scripts/lib/private-postgres.sh stop DIR            stop it (immediate) if running; DIR is left
#
# Fails loudly (exit 1, with the server's log) when the cluster cannot be created or started.
# Environment: PG_MAJOR (default 15), PG_RUN_AS (default postgres), PRIVATE_PG_FSYNC (default off:
# a restart, even `-m immediate`, kills processes, not the machine, so nothing committed is lost
# without fsync; with it on, the shutdown checkpoint and the data-folder sync before crash recovery
# make each restart take seconds longer on a busy machine, with the same states seen by clients).
set -euo pipefail

MODE="${1:-}"
DIR="${2:-}"
PG_MAJOR="${PG_MAJOR:-15}"
PG_RUN_AS="${PG_RUN_AS:-postgres}"
BIN="/usr/lib/postgresql/${PG_MAJOR}/bin"
DATA="${DIR}/data"
LOG="${DIR}/postgres.log"

die() { echo "ERROR [private-postgres]: $*" >&2; [ -f "$LOG" ] && tail -n 30 "$LOG" >&2; exit 1; }
[ -n "$DIR" ] || die "usage: $0 start|restart|stop DIR [MODE]"
[ -x "${BIN}/pg_ctl" ] || die "PostgreSQL ${PG_MAJOR} binaries not found in ${BIN}"

# Runs a command as the cluster's OS user (PostgreSQL refuses to run as root).
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$PG_RUN_AS" -- "$@"; else "$@"; fi
}
pg_ctl() { as_pg "${BIN}/pg_ctl" -D "$DATA" -l "$LOG" "$@"; }

free_port() {
  node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  [ -e "$DATA" ] && die "${DATA} already exists"
  mkdir -p "$DIR"
  [ "$(id -u)" -eq 0 ] && chown "$PG_RUN_AS": "$DIR"
  as_pg "${BIN}/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --no-sync >"${DIR}/initdb.log" 2>&1 \
    || { cat "${DIR}/initdb.log" >&2; die "initdb failed"; }
  local port attempt
  for attempt in 1 2 3; do
    port=$(free_port)
    cat >>"${DATA}/postgresql.conf" <<EOF
# frontdesk fault suite (scripts/lib/private-postgres.sh)
listen_addresses = '127.0.0.1'
port = ${port}
unix_socket_directories = '${DIR}'
max_connections = 100
shared_buffers = 32MB
fsync = ${PRIVATE_PG_FSYNC:-off}
EOF
    if pg_ctl -w -t 60 start >/dev/null; then
      echo "$port" >"${DIR}/port"
      break
    fi
    # Lost a race for the port: try another.
    [ "$attempt" -eq 3 ] && die "could not start the private cluster (${DATA})"
    grep -q "could not bind" "$LOG" 2>/dev/null || die "could not start the private cluster (${DATA})"
  done
  local out
  out=$("${BIN}/psql" -X -qtA -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres \
    -c "CREATE DATABASE pgvector_check" 2>&1) || die "cannot connect to the private cluster: ${out}"
  out=$("${BIN}/psql" -X -qtA -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d pgvector_check \
    -c "CREATE EXTENSION vector" -c "SELECT extversion FROM pg_extension WHERE extname = 'vector'" 2>&1) \
    || die "CREATE EXTENSION vector failed in the private cluster (run scripts/install-pgvector.sh): ${out}"
  "${BIN}/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "DROP DATABASE pgvector_check" >/dev/null
  echo "private PostgreSQL $("${BIN}/postgres" --version | awk '{print $3}') on 127.0.0.1:${port} (${DATA}, pgvector ${out})"
}

restart() {
  local how="${1:-fast}"
  pg_ctl -w -t 60 -m "$how" restart >/dev/null || die "pg_ctl restart -m ${how} failed"
}

stop() {
  [ -f "${DATA}/postmaster.pid" ] || return 0
  pg_ctl -w -t 30 -m immediate stop >/dev/null || die "could not stop the private cluster"
}

case "$MODE" in
  start) start ;;
  restart) restart "${3:-fast}" ;;
  stop) stop ;;
  *) die "unknown mode '${MODE}' (expected: start | restart | stop)" ;;
esac
