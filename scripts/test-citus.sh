#!/usr/bin/env bash
# CI's Citus lane (docs/scale-out.md): builds Citus 13.2.2 if it is not installed, starts the local
# cluster (a coordinator and two workers, scripts/citus-cluster.sh), then runs against the
# coordinator the tests that show Frontdesk works sharded: the isolation tests (catalog, RLS,
# Citus readiness, single-shard routing of the hot queries), the API isolation test, the scenario
# tests and the job tests. Fails loudly when Citus cannot be built or started.
# Extra arguments go to vitest (e.g. one file).
set -euo pipefail
cd "$(dirname "$0")/.."

[ -f "/usr/share/postgresql/${PG_MAJOR:-15}/extension/vector.control" ] || bash scripts/install-pgvector.sh
bash scripts/install-citus.sh
bash scripts/citus-cluster.sh start

export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:${CITUS_PORT:-9700}/postgres"
echo "== Citus lane on ${TEST_DATABASE_URL}"
if [ "$#" -gt 0 ]; then
  npx vitest run "$@"
else
  npx vitest run test/isolation test/api/isolation.test.ts test/scenarios src/jobs.test.ts src/platform/jobs.test.ts
fi
