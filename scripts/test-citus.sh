#!/usr/bin/env bash
# CI's Citus lane (docs/scale-out.md): builds Citus 13.2.2 if it is not installed, starts the local
# cluster (a coordinator and two workers, scripts/citus-cluster.sh), then runs against the
# coordinator the tests that pass sharded today: the isolation tests (catalog, RLS, ways around
# RLS, Citus readiness, single-shard routing of the hot queries), the API isolation sweep (every
# operation, across tenants), identity (sessions, keys, invitations, members), the tenant's own
# settings and limits, the scenario tests (the five products end to end), the job tests, and the
# database rules: every domain's rules test (each rule refused with its SQLSTATE and constraint,
# as Citus relays them: src/platform/db/error-names.ts), the escalation workflow, the append-only
# audit log, BM25's vocabulary on tenant deletion, the widget's public config and plan quotas
# (the last-place race waits on a worker's lock), the statements built once (compiled.ts), an API
# key checked with the first statement (gate.ts) and the reply jobs triaged in a batch.
# Fails loudly when Citus cannot be built or started. Queries that rely on RLS alone ask every
# shard, so the RLS tests take minutes here: a longer per-test timeout.
# Extra arguments go to vitest (e.g. one file).
set -euo pipefail
cd "$(dirname "$0")/.."

[ -f "/usr/share/postgresql/${PG_MAJOR:-15}/extension/vector.control" ] || bash scripts/install-pgvector.sh
bash scripts/install-citus.sh
bash scripts/citus-cluster.sh start

export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:${CITUS_PORT:-9700}/postgres"
echo "== Citus lane on ${TEST_DATABASE_URL}"
if [ "$#" -gt 0 ]; then
  npx vitest run --testTimeout=300000 "$@"
else
  npx vitest run --testTimeout=300000 test/isolation test/api/isolation.test.ts test/api/auth.test.ts test/api/members.test.ts \
    test/api/tenant.test.ts test/api/limits.test.ts \
    test/scenarios src/jobs.test.ts src/platform/jobs.test.ts \
    rules.test src/domains/conversations/escalation-workflow.test.ts src/domains/ops/audit-log.test.ts \
    test/knowledge/bm25.test.ts src/domains/channels/widget-config.test.ts \
    src/domains/channels/widget-pre-chat.test.ts test/plans/quotas.test.ts test/plans/channel-quotas.test.ts \
    src/platform/db/compiled.test.ts src/platform/db/gate.test.ts src/domains/ai/responder/triage.test.ts
fi
