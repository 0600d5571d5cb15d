/**
 * Opens what every command needs from the configuration: the database on the right engine
 * (taking the embedded data folder's lock), with failures turned into one clear message that
 * names the setting and never shows a password.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, redactUrl } from './platform/config.js';
import { type Database, openDatabase } from './platform/db/database.js';
import { lockDataDir } from './platform/db/lock.js';
import { openEmbeddedData } from './platform/db/snapshot.js';

export class StartupError extends Error {
  override name = 'StartupError';
}

export interface Runtime {
  db: Database;
  /**
   * Embedded only: the data folder was empty (`fresh`), and was filled from this build's
   * migrated snapshot (`restored`; see platform/db/snapshot.ts).
   */
  embedded?: { fresh: boolean; restored: boolean };
  close(): Promise<void>;
}

/**
 * Opens the configured database. Only `frontdesk start` (`prepared`) fills an empty embedded
 * data folder from the prepared snapshot: it holds the demo data, which `start` seeds into an
 * empty folder anyway, and no other command may add (`tenants create` on a new folder makes one
 * tenant, not six). The doctor reports the folder as it is.
 */
export async function openRuntime(config: Config, options: { prepared?: boolean } = {}): Promise<Runtime> {
  if (config.databaseUrl) return openServer(config.databaseUrl);
  return openEmbedded(config.dataDir, options.prepared ? config.snapshotDir : null);
}

async function openServer(url: string): Promise<Runtime> {
  const db = await openDatabase({ engine: 'postgres', url });
  try {
    await db.query('SELECT 1');
  } catch (error) {
    await db.close().catch(() => {});
    throw new StartupError(connectError(url, error));
  }
  return { db, close: () => db.close() };
}

/** Why a server connection failed, in words, with what to do (never the password). */
export function connectError(url: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const shown = redactUrl(url);
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1)) || u.username || 'postgres';
  const hints: Record<string, string> = {
    '3D000': `the database "${name}" does not exist on that server: create it (\`createdb -h ${u.hostname} -p ${u.port || 5432}${u.username ? ` -U ${decodeURIComponent(u.username)}` : ''} ${name}\`, or CREATE DATABASE ${name}) and start again; Frontdesk creates its tables itself`,
    '28P01': 'the server refused the password of that user',
    '28000': 'the server refused that user (see its pg_hba.conf)',
    ECONNREFUSED: `nothing listens at ${u.hostname}:${u.port || 5432}: is PostgreSQL running there?`,
    ENOTFOUND: `the host ${u.hostname} is unknown`,
  };
  const hint = hints[code] ?? (error as Error).message;
  return `DATABASE_URL: cannot connect to ${shown}: ${hint}${code ? ` (${code})` : ''}`;
}

async function openEmbedded(dataDir: string, snapshotDir: string | null | undefined): Promise<Runtime> {
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK);
  } catch (error) {
    throw new StartupError(
      `FRONTDESK_DATA_DIR: cannot use ${dataDir} as the data folder (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  let release: () => void;
  try {
    release = lockDataDir(dataDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code) throw new StartupError(`FRONTDESK_DATA_DIR: cannot write to ${dataDir} (${code})`);
    throw new StartupError((error as Error).message);
  }
  try {
    const { db, fresh, restored } = await openEmbeddedData(join(dataDir, 'pgdata'), snapshotDir);
    return {
      db,
      embedded: { fresh, restored },
      async close() {
        await db.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
