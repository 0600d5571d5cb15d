#!/usr/bin/env bash
# Runs the whole test suite against the local PostgreSQL server (with pgvector) and through
# pgbouncer, the way CI's server lane does. Installs what is missing first (idempotent).
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
echo "== test suite on PostgreSQL server ${PGHOST}:${PGPORT} (pgbouncer on ${PGBOUNCER_PORT})"
npm test -- "$@"
