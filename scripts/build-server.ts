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
import { build, type Plugin } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));

/**
 * Packages bundled into dist/server instead of loaded from node_modules: pure ES/JS libraries that
 * every start loads, a few hundred small files (drizzle-orm and zod alone are over 200). Node's
 * module loader pays per file (resolution, reading, compiling): bundled, they cost one chunk.
 * A package that another external package imports too (zod: @hono/zod-openapi,
 * @asteasolutions/zod-to-openapi, drizzle-zod) is bundled together with it, so there is one copy.
 * Everything else stays external: native code (argon2), WASM and its files (PGlite), worker
 * threads by file (pino's transports), CommonJS whose loading order matters (pg, pg-boss), and
 * the document readers loaded on first use.
 */
const INLINED = [
  'drizzle-orm',
  'drizzle-zod',
  'zod',
  '@hono/zod-openapi',
  '@hono/zod-validator',
  '@asteasolutions/zod-to-openapi',
  'hono',
  '@hono/node-server',
  'uuid',
];

/** Every bare import is external unless its package is in `inlined`. */
function externalPackages(inlined: string[]): Plugin {
  const packageOf = (spec: string) =>
    spec
      .split('/')
      .slice(0, spec.startsWith('@') ? 2 : 1)
      .join('/');
  return {
    name: 'external-packages',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) =>
        args.path.startsWith('node:') || !inlined.includes(packageOf(args.path))
          ? { path: args.path, external: true }
          : undefined,
      );
    },
  };
}
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
    // Packages stay in node_modules, except the pure-JS ones every start loads (below).
    plugins: [externalPackages(INLINED)],
    sourcemap: 'linked', // stack traces name src/ lines (bin/frontdesk.js enables source maps)
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  await buildServer();
  process.stdout.write(`built dist/server in ${Math.round(performance.now() - started)} ms\n`);
}
