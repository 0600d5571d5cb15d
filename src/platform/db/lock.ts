/**
 * PGlite is one process's database: a second process opening the same folder would corrupt it.
 * A lock file (created exclusively, holding the owner's pid) turns that into a clear error; a
 * lock left by a process that no longer exists is taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder's lock or throws `DataDirLockedError`; returns the function that releases it. */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, 'frontdesk.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) {
        throw new DataDirLockedError(
          `the data folder ${dataDir} is in use by another Frontdesk process (pid ${owner}); ` +
            'stop it, or set FRONTDESK_DATA_DIR to another folder',
        );
      }
      unlinkSync(path); // stale: its process is gone
    }
  }
  throw new DataDirLockedError(`could not lock the data folder ${dataDir}`);
}
