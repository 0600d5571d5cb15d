#!/usr/bin/env bash
# A local Citus cluster for tests, benches and trying Frontdesk on Citus: a coordinator and two
# workers, each its own PostgreSQL 15 data folder and loopback port, `shared_preload_libraries =
# citus`, pgvector available. The shared server on 5432 is never touched.
#
# Usage:
#   scripts/citus-cluster.sh start          initdb the three nodes if needed, start them, register
#                                           the workers in the `postgres` database (idempotent)
#   scripts/citus-cluster.sh stop           stop the three nodes (fast shutdown); data is kept
#   scripts/citus-cluster.sh status         which nodes run, and the workers the coordinator knows
#   scripts/citus-cluster.sh createdb NAME  a database on every node with the citus and vector
#                                           extensions and the workers registered (what Frontdesk
#                                           needs before `frontdesk migrate`)
#   scripts/citus-cluster.sh dropdb NAME    drop it on every node
#   scripts/citus-cluster.sh destroy        stop and delete the data folders
#
# Needs Citus installed (scripts/install-citus.sh) and pgvector (scripts/install-pgvector.sh).
# As root, the servers run as the `postgres` OS user (PostgreSQL refuses to run as root).
# Fails loudly (non-zero, with the node's log) when a node cannot be created or started.
#
# Environment: CITUS_DIR (default /tmp/frontdesk-citus), CITUS_PORT (coordinator, default 9700;
# the workers take the next two), PG_MAJOR (default 15), PG_RUN_AS (default postgres),
# CITUS_FSYNC (default off: a throw-away cluster), CITUS_SHARD_COUNT (default 32, Citus' own).
set -euo pipefail

MODE="${1:-status}"
CITUS_DIR="${CITUS_DIR:-/tmp/frontdesk-citus}"
CITUS_PORT="${CITUS_PORT:-9700}"
PG_MAJOR="${PG_MAJOR:-15}"
PG_RUN_AS="${PG_RUN_AS:-postgres}"
BIN="/usr/lib/postgresql/${PG_MAJOR}/bin"
NODES=(coordinator worker1 worker2)

die() { echo "ERROR [citus-cluster]: $*" >&2; exit 1; }
info() { echo "    $*"; }
[ -x "${BIN}/pg_ctl" ] || die "PostgreSQL ${PG_MAJOR} binaries not found in ${BIN}"

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$PG_RUN_AS" -- "$@"; else "$@"; fi
}
port_of() {
  case "$1" in coordinator) echo "$CITUS_PORT" ;; worker1) echo $((CITUS_PORT + 1)) ;; worker2) echo $((CITUS_PORT + 2)) ;; esac
}
psql_on() { # psql_on PORT DB [psql args…]
  local port=$1 db=$2
  shift 2
  "${BIN}/psql" -X -qtA -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d "$db" "$@"
}
running() { [ -f "${CITUS_DIR}/$1/data/postmaster.pid" ] && as_pg "${BIN}/pg_ctl" -D "${CITUS_DIR}/$1/data" status >/dev/null 2>&1; }

init_node() {
  local node=$1 port
  port=$(port_of "$node")
  local dir="${CITUS_DIR}/${node}"
  [ -f "${dir}/data/PG_VERSION" ] && return 0
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown "$PG_RUN_AS": "$CITUS_DIR" "$dir"
  as_pg "${BIN}/initdb" -D "${dir}/data" -U postgres --auth=trust -E UTF8 --no-sync >"${dir}/initdb.log" 2>&1 \
    || { cat "${dir}/initdb.log" >&2; die "initdb failed for the ${node}"; }
  local conns=200
  [ "$node" = coordinator ] || conns=400
  cat >>"${dir}/data/postgresql.conf" <<EOF
# frontdesk local Citus cluster (scripts/citus-cluster.sh)
shared_preload_libraries = 'citus'
listen_addresses = '127.0.0.1'
port = ${port}
unix_socket_directories = '${dir}'
max_connections = ${conns}
shared_buffers = 64MB
fsync = ${CITUS_FSYNC:-off}
synchronous_commit = ${CITUS_FSYNC:-off}
citus.shard_count = ${CITUS_SHARD_COUNT:-32}
# Frontdesk's row triggers (updated_at, quotas, knowledge terms) on distributed tables; the nested
# statements of the quota and knowledge-terms triggers touch co-located rows of the same tenant.
citus.enable_unsafe_triggers = on
citus.allow_nested_distributed_execution = on
log_min_messages = warning
EOF
  info "initialised the ${node} in ${dir}/data (port ${port})"
}

start_node() {
  local node=$1 dir="${CITUS_DIR}/$1"
  if running "$node"; then info "${node} already running (port $(port_of "$node"))"; return 0; fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$(port_of "$node")") 2>/dev/null; then
    die "port $(port_of "$node") is taken by another process (set CITUS_PORT)"
  fi
  as_pg "${BIN}/pg_ctl" -D "${dir}/data" -l "${dir}/postgres.log" -w -t 60 start >/dev/null \
    || { tail -n 30 "${dir}/postgres.log" >&2; die "the ${node} did not start"; }
  info "started the ${node} on 127.0.0.1:$(port_of "$node")"
}

# createdb NAME: the database on every node, the extensions, the workers registered.
create_db() {
  local db=$1 node out
  [[ "$db" =~ ^[a-z_][a-z0-9_]*$ ]] || die "database name must match [a-z_][a-z0-9_]*: ${db}"
  for node in "${NODES[@]}"; do
    if [ "$db" != postgres ] && [ -z "$(psql_on "$(port_of "$node")" postgres -c "SELECT 1 FROM pg_database WHERE datname = '${db}'")" ]; then
      psql_on "$(port_of "$node")" postgres -c "CREATE DATABASE ${db}" >/dev/null
    fi
    # Only where missing: on a worker that has Citus metadata, Citus refuses even a no-op
    # CREATE EXTENSION IF NOT EXISTS.
    for ext in citus vector; do
      [ -n "$(psql_on "$(port_of "$node")" "$db" -c "SELECT 1 FROM pg_extension WHERE extname = '${ext}'")" ] && continue
      out=$(psql_on "$(port_of "$node")" "$db" -c "SET client_min_messages = warning" -c "CREATE EXTENSION ${ext}" 2>&1) \
        || die "CREATE EXTENSION ${ext} failed on the ${node}: ${out}"
    done
  done
  psql_on "$CITUS_PORT" "$db" -c "SET client_min_messages = warning" \
    -c "SELECT citus_set_coordinator_host('127.0.0.1', ${CITUS_PORT})" \
    -c "SELECT citus_add_node('127.0.0.1', $((CITUS_PORT + 1)))" \
    -c "SELECT citus_add_node('127.0.0.1', $((CITUS_PORT + 2)))" >/dev/null \
    || die "could not register the workers in ${db}"
}

drop_db() {
  local db=$1 node
  [[ "$db" =~ ^[a-z_][a-z0-9_]*$ ]] && [ "$db" != postgres ] || die "refusing to drop '${db}'"
  for node in "${NODES[@]}"; do
    running "$node" && psql_on "$(port_of "$node")" postgres -c "DROP DATABASE IF EXISTS ${db} WITH (FORCE)" >/dev/null
  done
  return 0
}

case "$MODE" in
  start)
    [ -f "$("${BIN}/pg_config" --pkglibdir 2>/dev/null || echo "/usr/lib/postgresql/${PG_MAJOR}/lib")/citus.so" ] \
      || [ -f "/usr/lib/postgresql/${PG_MAJOR}/lib/citus.so" ] || die "Citus is not installed: run scripts/install-citus.sh"
    echo "==> [citus-cluster] starting a coordinator and two workers under ${CITUS_DIR}"
    for node in "${NODES[@]}"; do init_node "$node"; done
    for node in "${NODES[@]}"; do start_node "$node"; done
    create_db postgres
    echo "==> [citus-cluster] Citus $(psql_on "$CITUS_PORT" postgres -c "SELECT extversion FROM pg_extension WHERE extname = 'citus'") up: coordinator postgres://postgres@127.0.0.1:${CITUS_PORT}/postgres, $(psql_on "$CITUS_PORT" postgres -c "SELECT count(*) FROM pg_dist_node WHERE noderole = 'primary' AND groupid <> 0") workers"
    ;;
  stop)
    for node in "${NODES[@]}"; do
      if running "$node"; then
        as_pg "${BIN}/pg_ctl" -D "${CITUS_DIR}/${node}/data" -m fast -w -t 60 stop >/dev/null || die "could not stop the ${node}"
        info "stopped the ${node}"
      fi
    done
    ;;
  status)
    down=0
    for node in "${NODES[@]}"; do
      if running "$node"; then info "${node}: running on 127.0.0.1:$(port_of "$node")"; else info "${node}: stopped"; down=1; fi
    done
    if running coordinator; then
      psql_on "$CITUS_PORT" postgres -c "SELECT '    registered: ' || string_agg(nodename || ':' || nodeport, ', ' ORDER BY nodeport) FROM pg_dist_node WHERE groupid <> 0"
    fi
    exit "$down"
    ;;
  createdb) create_db "${2:?usage: $0 createdb NAME}"; info "created ${2} on every node (citus, vector, workers registered)" ;;
  dropdb) drop_db "${2:?usage: $0 dropdb NAME}" ;;
  destroy)
    "$0" stop
    rm -rf "${CITUS_DIR:?}/coordinator" "${CITUS_DIR:?}/worker1" "${CITUS_DIR:?}/worker2"
    info "removed the data folders under ${CITUS_DIR}"
    ;;
  *) die "unknown mode '${MODE}' (expected: start | stop | status | createdb NAME | dropdb NAME | destroy)" ;;
esac
