#!/usr/bin/env bash
# The fault-injection suite (docs/operations.md) on the local PostgreSQL server, directly and
# through pgbouncer. It never restarts the server: faults are a proxy it cuts and
# pg_terminate_backend on its own database. FAULTS_REPEAT sets how often the restart case repeats.
set -euo pipefail
cd "$(dirname "$0")/.."

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
PGBOUNCER_PORT=${PGBOUNCER_PORT:-6432}

bash scripts/install-pgvector.sh
PGBOUNCER_PORT=$PGBOUNCER_PORT bash scripts/install-pgbouncer.sh start

export TEST_DATABASE_URL="postgres://${PGUSER}@${PGHOST}:${PGPORT}/postgres"
export TEST_PGBOUNCER_URL="postgres://${PGUSER}@127.0.0.1:${PGBOUNCER_PORT}/postgres"
echo "== fault-injection suite on ${PGHOST}:${PGPORT} (pgbouncer on ${PGBOUNCER_PORT}), FAULTS_REPEAT=${FAULTS_REPEAT:-3}"
npx vitest run --config vitest.faults.config.ts "$@"
