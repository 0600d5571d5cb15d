import { parseArgs } from 'node:util';
import { createTenant, listTenants } from '../../domains/tenancy/service.js';
import type { Command } from '../command.js';
import { reportUserError, withDatabase } from '../runtime-helpers.js';

const USAGE = `Usage:
  frontdesk tenants list [--json]
  frontdesk tenants create --slug <slug> --name <name> [--plan <plan>] [--owner <email>] [--timezone <tz>] [--vertical <v>]
`;

export const tenantsCommand: Command = {
  async run(args, { config }) {
    const [sub, ...rest] = args;
    if (sub !== 'list' && sub !== 'create') {
      process.stderr.write(USAGE);
      return 2;
    }
    const { values } = parseArgs({
      args: rest,
      options: {
        json: { type: 'boolean', default: false },
        slug: { type: 'string' },
        name: { type: 'string' },
        plan: { type: 'string' },
        owner: { type: 'string' },
        timezone: { type: 'string' },
        vertical: { type: 'string' },
      },
    });
    if (sub === 'create' && (!values.slug || !values.name)) {
      process.stderr.write(`frontdesk tenants create needs --slug and --name\n\n${USAGE}`);
      return 2;
    }
    return withDatabase(config, async (db) => {
      if (sub === 'list') {
        const all = await listTenants(db);
        if (values.json) process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
        else
          for (const t of all)
            process.stdout.write(
              `${t.slug.padEnd(24)} ${t.id}  ${t.active ? 'active  ' : 'inactive'} ${t.name}\n`,
            );
        return 0;
      }
      try {
        const t = await createTenant(db, {
          slug: values.slug!,
          name: values.name!,
          ...(values.plan ? { plan: values.plan } : {}),
          ...(values.owner ? { ownerEmail: values.owner } : {}),
          ...(values.timezone ? { timezone: values.timezone } : {}),
          ...(values.vertical ? { vertical: values.vertical as never } : {}),
        });
        process.stdout.write(`created tenant ${t.slug} (${t.id})\n`);
        return 0;
      } catch (error) {
        return reportUserError(error);
      }
    });
  },
};
