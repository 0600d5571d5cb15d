import { createApp } from '../../app.js';
import { migrate } from '../../platform/db/migrate.js';
import { openRuntime } from '../../runtime.js';
import { listen } from '../../server.js';
import type { Command } from '../command.js';

export const start: Command = {
  async run(_args, { config, logger }) {
    const runtime = await openRuntime(config);
    let server: Awaited<ReturnType<typeof listen>> | undefined;
    try {
      const applied = await migrate(runtime.db);
      if (applied.length) logger.info({ applied }, 'migrations applied');
      server = await listen(createApp({ db: runtime.db, logger }), config.host, config.port);
    } catch (error) {
      await runtime.close();
      throw error;
    }
    logger.info({ url: server.url, engine: runtime.db.engine }, 'frontdesk listening');
    process.stdout.write(`Frontdesk is running at ${server.url} (engine: ${runtime.db.engine})\n`);

    const running = server;
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await running.close();
    await runtime.close();
    logger.info('stopped');
    return 0;
  },
};
