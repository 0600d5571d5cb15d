import { migrate } from '../../platform/db/migrate.js';
import { openRuntime } from '../../runtime.js';
import type { Command } from '../command.js';

export const migrateCommand: Command = {
  async run(_args, { config }) {
    const runtime = await openRuntime(config);
    try {
      const applied = await migrate(runtime.db);
      process.stdout.write(
        applied.length
          ? `applied ${applied.length} migration(s): ${applied.join(', ')}\n`
          : 'database is up to date\n',
      );
      return 0;
    } finally {
      await runtime.close();
    }
  },
};
