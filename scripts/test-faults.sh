#!/usr/bin/env bash
# The fault-injection suite (docs/operations.md). Most cases run on the local PostgreSQL server,
# directly and through pgbouncer, and never restart it: their faults are a proxy they cut and
# pg_terminate_backend on their own database. The restart case restarts PostgreSQL for real, so it
# gets a private cluster of its own (scripts/lib/private-postgres.sh: initdb in a temp folder, a
# free port, pgvector) and a private pgbouncer in front of it, both removed on exit.
# FAULTS_REPEAT sets how often the real restart repeats in a row (default 3), FAULTS_CUT_REPEAT
# the proxy cut (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/lib/server-env.sh

restart_dir=$(mktemp -d /tmp/frontdesk-faults-pg.XXXXXX)
cleanup() {
  PGBOUNCER_DIR="${restart_dir}/pgbouncer" bash scripts/install-pgbouncer.sh stop >/dev/null || true
  bash scripts/lib/private-postgres.sh stop "$restart_dir" || true
  rm -rf "$restart_dir"
}
trap cleanup EXIT
bash scripts/lib/private-postgres.sh start "$restart_dir"
restart_port=$(cat "${restart_dir}/port")
restart_bouncer_port=$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
PGBOUNCER_DIR="${restart_dir}/pgbouncer" PGBOUNCER_PORT="$restart_bouncer_port" PG_PORT="$restart_port" \
  bash scripts/install-pgbouncer.sh start >/dev/null \
  || { echo "ERROR: could not start pgbouncer in front of the private cluster" >&2; exit 1; }
export TEST_RESTART_PGDIR="$restart_dir"
export TEST_RESTART_DATABASE_URL="postgres://postgres@127.0.0.1:${restart_port}/postgres"
export TEST_RESTART_PGBOUNCER_URL="postgres://postgres@127.0.0.1:${restart_bouncer_port}/postgres"

echo "== fault-injection suite on ${PGHOST}:${PGPORT} (pgbouncer on ${PGBOUNCER_PORT}); real restarts on" \
  "127.0.0.1:${restart_port} (pgbouncer on ${restart_bouncer_port}); FAULTS_REPEAT=${FAULTS_REPEAT:-3}"
npx vitest run --config vitest.faults.config.ts "$@"
