import type { Config } from '../platform/config.js';
import type { Database } from '../platform/db/database.js';
import { migrate } from '../platform/db/migrate.js';
import { AppError } from '../platform/errors.js';
import { quotaError } from '../platform/http/db-errors.js';
import { openRuntime } from '../runtime.js';

/** Opens the configured database (migrated), runs `fn`, closes it. */
export async function withDatabase<T>(config: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  const runtime = await openRuntime(config);
  try {
    await migrate(runtime.db);
    return await fn(runtime.db);
  } finally {
    await runtime.close();
  }
}

/** Prints an input error (bad field, duplicate) as one clear message; returns the exit code, or rethrows. */
export function reportUserError(error: unknown): number {
  // A plan limit the database enforced (a member added over the seats) is an input error too.
  const known = error instanceof AppError ? error : quotaError(error);
  if (known) {
    const fields = known.extras.errors?.map((e) => `\n  - ${e.path}: ${e.message}`).join('') ?? '';
    process.stderr.write(`frontdesk: ${known.message}${fields}\n`);
    return 2;
  }
  const code =
    (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
  if (code === '23505') {
    process.stderr.write('frontdesk: that already exists (a unique value is taken)\n');
    return 2;
  }
  throw error;
}
