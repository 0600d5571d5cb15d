#!/usr/bin/env bash
# The fault-injection suite (docs/operations.md) on the local PostgreSQL server, directly and
# through pgbouncer. It never restarts the server: faults are a proxy it cuts and
# pg_terminate_backend on its own database. FAULTS_REPEAT sets how often the restart case repeats.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/lib/server-env.sh
echo "== fault-injection suite on ${PGHOST}:${PGPORT} (pgbouncer on ${PGBOUNCER_PORT}), FAULTS_REPEAT=${FAULTS_REPEAT:-3}"
npx vitest run --config vitest.faults.config.ts "$@"
