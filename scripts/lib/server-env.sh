# Sourced by scripts/test-server.sh and scripts/test-faults.sh: installs what the server lanes
# need (pgvector, pgbouncer; idempotent) and exports TEST_DATABASE_URL and TEST_PGBOUNCER_URL
# for the local PostgreSQL server (PGHOST, PGPORT, PGUSER, PGBOUNCER_PORT override the defaults).
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
PGBOUNCER_PORT=${PGBOUNCER_PORT:-6432}

bash scripts/install-pgvector.sh
PGBOUNCER_PORT=$PGBOUNCER_PORT bash scripts/install-pgbouncer.sh start

export TEST_DATABASE_URL="postgres://${PGUSER}@${PGHOST}:${PGPORT}/postgres"
export TEST_PGBOUNCER_URL="postgres://${PGUSER}@127.0.0.1:${PGBOUNCER_PORT}/postgres"
