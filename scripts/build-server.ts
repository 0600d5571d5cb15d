/**
 * Bundles the server's TypeScript (src/) into plain ES modules in dist/server/ with esbuild, so
 * `frontdesk` (bin/frontdesk.js) starts without transpiling a few hundred files through tsx's
 * loader on every start (most of a warm start's time; docs/operations.md). Packages stay
 * external: Node loads them from node_modules as usual. Two entries: the CLI and the knowledge
 * prepare worker (prepare.ts starts `./prepare-worker.mjs` next to the module that runs it).
 * Runs from `npm install` (the `prepare` script) and `npm run build:server`. bin/frontdesk.js
 * uses the bundle only while it is newer than every file in src/, and tsx otherwise, so an
 * edited checkout never runs stale code.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
const SERVER_OUT = `${root}dist/server`;

export async function buildServer(): Promise<void> {
  rmSync(SERVER_OUT, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: {
      main: 'src/cli/main.ts',
      'prepare-worker': 'src/domains/knowledge/prepare-worker.ts',
    },
    outdir: SERVER_OUT,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true, // subcommands and the PDF/DOCX readers stay lazily loaded chunks
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked', // stack traces name src/ lines (bin/frontdesk.js enables source maps)
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  await buildServer();
  process.stdout.write(`built dist/server in ${Math.round(performance.now() - started)} ms\n`);
}
