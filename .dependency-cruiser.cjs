/**
 * The layers of src/ (see docs/architecture.md), checked by `npm run lint`:
 *
 *   cli/ · server.ts · runtime.ts       entry points
 *   app.ts · api/ · jobs.ts · schema/index.ts   the composition root: wires every domain
 *   seed/                               demo data, written through the domains' tables
 *   domains/*                           the product: tables, services, operations, jobs
 *   platform/ · schema/ helpers         config, clock, db, jobs, net, the HTTP toolkit
 *
 * Imports point down only, and no import cycle exists, type-only imports included
 * (`tsPreCompilationDeps`). Tests (`*.test.ts`) sit above everything and are checked for cycles only.
 */
const TEST = '\\.test\\.ts$';
const COMPOSITION = '^src/(app\\.ts|api/|jobs\\.ts|schema/index\\.ts|server\\.ts|runtime\\.ts|cli/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle (type-only imports count too). Move the shared piece down a layer.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'platform-points-down',
      comment: 'platform/ is the bottom layer: it must not import domains, demo data or the composition root.',
      severity: 'error',
      from: { path: '^src/platform/', pathNot: TEST },
      to: { path: [COMPOSITION, '^src/domains/', '^src/seed/'] },
    },
    {
      name: 'schema-helpers-point-down',
      comment: 'schema/ column helpers sit beside platform/; only schema/index.ts lists the domains\' tables.',
      severity: 'error',
      from: { path: '^src/schema/', pathNot: ['^src/schema/index\\.ts$', TEST] },
      to: { path: [COMPOSITION, '^src/domains/', '^src/seed/'] },
    },
    {
      name: 'domains-do-not-import-the-composition-root',
      comment: 'A domain gets what it needs from platform/ or another domain, never from app.ts, api/, jobs.ts or cli/.',
      severity: 'error',
      from: { path: '^src/domains/', pathNot: TEST },
      to: { path: [COMPOSITION, '^src/seed/'] },
    },
    {
      name: 'seed-is-not-a-dependency',
      comment: 'Demo data is loaded by the CLI; nothing in the product depends on it.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/seed/', '^src/cli/', TEST] },
      to: { path: '^src/seed/' },
    },
    {
      name: 'src-does-not-import-tests',
      comment: 'Production code must not import test helpers.',
      severity: 'error',
      from: { path: '^src/', pathNot: TEST },
      to: { path: ['^test/', TEST] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^client/schema\\.ts$' },
  },
};
