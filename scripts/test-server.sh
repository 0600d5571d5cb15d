#!/usr/bin/env bash
# Runs the whole test suite against the local PostgreSQL server (with pgvector) and through
# pgbouncer, the way CI's server lane does. Installs what is missing first (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/lib/server-env.sh
echo "== test suite on PostgreSQL server ${PGHOST}:${PGPORT} (pgbouncer on ${PGBOUNCER_PORT})"
npm test -- "$@"
