/**
 * `startup`: cold start of `frontdesk start` until /healthz answers, on an empty data folder
 * (embedded) or empty database (server) — which includes creating and migrating it — and on an
 * existing one. A real child process, as a user starts it.
 *
 * Embedded, each repeat uses its own snapshot folder (FRONTDESK_SNAPSHOT_DIR, src/cli/first-start.ts):
 * the first empty folder finds no snapshot and is prepared in place (migrations, demo seed,
 * pg-boss schema; the snapshot is saved) — `emptyNoSnapshot`, what a machine pays once when the
 * install did not make the snapshot; the next empty folder restores it — `emptyDataFolder`, every
 * first start after an install that ran `prepare`; then that folder again — `existingDataFolder`.
 * Every start runs the prebuilt bundle (dist/server, scripts/build-server.ts) as `frontdesk`
 * does after `npm install`; `existingFromSource` starts the existing folder (or database) once
 * more from the TypeScript sources through tsx (FRONTDESK_FROM_SOURCE=1), what each start cost
 * before the bundle.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseEntry } from '../../bin/entry.js';
import { buildServer } from '../../scripts/build-server.js';
import type { Engine } from '../../src/platform/db/database.js';
import { freshDatabase } from '../lib/engines.js';

const BIN = fileURLToPath(new URL('../../bin/frontdesk.js', import.meta.url));
const REPEATS = 3;

async function timeStart(env: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  const { DATABASE_URL: _d, FRONTDESK_DATA_DIR: _f, ...base } = process.env;
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: { ...base, PORT: '0', LOG_LEVEL: 'warn', ...env },
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const m = /running at (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.stderr.on('data', (d) => (out += d));
      child.on('exit', (code) => reject(new Error(`frontdesk start exited ${code}: ${out}`)));
    });
    const res = await fetch(`${url}/healthz`);
    if (res.status !== 200) throw new Error(`healthz answered ${res.status}`);
    return performance.now() - t0;
  } finally {
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const describe = (xs: number[]) => ({
  medianMs: Math.round(median(xs)),
  minMs: Math.round(Math.min(...xs)),
  maxMs: Math.round(Math.max(...xs)),
  runs: xs.length,
});

export async function startupSuite(engine: Engine, serverUrl: string) {
  // Every start runs the prebuilt bundle, as after `npm install`: rebuilt first when src/ changed
  // since it was built (a stale one would measure code that is no longer there).
  if (chooseEntry() !== 'bundle') await buildServer();
  const loadAtStart = loadavg()[0]!;
  const empty: number[] = [];
  const existing: number[] = [];
  const noSnapshot: number[] = [];
  /** The existing folder or database again, the TypeScript run through tsx (no prebuilt bundle). */
  const fromSource: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    if (engine === 'pglite') {
      const root = mkdtempSync(join(tmpdir(), 'frontdesk-bench-start-'));
      const snapshots = join(root, 'snapshots');
      noSnapshot.push(
        await timeStart({ FRONTDESK_DATA_DIR: join(root, 'first'), FRONTDESK_SNAPSHOT_DIR: snapshots }),
      );
      const dir = join(root, 'data');
      empty.push(await timeStart({ FRONTDESK_DATA_DIR: dir, FRONTDESK_SNAPSHOT_DIR: snapshots }));
      existing.push(await timeStart({ FRONTDESK_DATA_DIR: dir, FRONTDESK_SNAPSHOT_DIR: snapshots }));
      fromSource.push(
        await timeStart({
          FRONTDESK_DATA_DIR: dir,
          FRONTDESK_SNAPSHOT_DIR: snapshots,
          FRONTDESK_FROM_SOURCE: '1',
        }),
      );
      rmSync(root, { recursive: true, force: true });
    } else {
      const target = await freshDatabase('postgres', serverUrl, { migrated: false });
      empty.push(await timeStart({ DATABASE_URL: target.url! }));
      existing.push(await timeStart({ DATABASE_URL: target.url! }));
      fromSource.push(await timeStart({ DATABASE_URL: target.url!, FRONTDESK_FROM_SOURCE: '1' }));
      await target.drop();
    }
  }
  return {
    emptyDataFolder: describe(empty),
    existingDataFolder: describe(existing),
    existingFromSource: describe(fromSource),
    ...(noSnapshot.length ? { emptyNoSnapshot: describe(noSnapshot) } : {}),
    loadAverage: { start: +loadAtStart.toFixed(1), end: +loadavg()[0]!.toFixed(1) },
  };
}
