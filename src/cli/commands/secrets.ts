import { resealSecrets } from '../../domains/ops/reseal.js';
import type { Command } from '../command.js';
import { withDatabase } from '../runtime-helpers.js';

const USAGE = `Usage:
  frontdesk secrets rotate     seal every stored secret with the first key of FRONTDESK_SECRETS_KEYS
`;

export const secretsCommand: Command = {
  usage: USAGE,
  async run(args, { config }) {
    if (args[0] !== 'rotate' || args.length > 1) {
      process.stderr.write(USAGE);
      return 2;
    }
    if (!config.secrets.current) {
      process.stderr.write('frontdesk: set FRONTDESK_SECRETS_KEYS (the new key first) before rotating\n');
      return 2;
    }
    return withDatabase(config, async (db) => {
      const r = await resealSecrets(db, config.secrets);
      process.stdout.write(
        `sealed with key ${config.secrets.current!.id}: ${r.channels} channels, ${r.integrations} integrations, ${r.webhookEndpoints} webhook endpoints re-sealed\n`,
      );
      return 0;
    });
  },
};
