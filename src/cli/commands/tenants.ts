import { parseArgs } from 'node:util';
import { changeSubscription } from '../../domains/plans/admin.js';
import { createTenant, listTenants } from '../../domains/tenancy/service.js';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '../../schema/tenants.js';
import type { Command } from '../command.js';
import { reportUserError, withDatabase } from '../runtime-helpers.js';

const USAGE = `Usage:
  frontdesk tenants list [--json]
  frontdesk tenants create --slug <slug> --name <name> [--plan <plan>] [--owner <email>] [--timezone <tz>] [--vertical <v>]
  frontdesk tenants suspend <slug|id> [--status suspended|canceled|paused]
  frontdesk tenants resume <slug|id> [--status active|trialing|past_due]
  frontdesk tenants set-plan <slug|id> <plan>

  --owner names an existing user (create one with \`frontdesk users create --email <email>\`);
  to add a user to a tenant later: \`frontdesk users add --email <email> --tenant <slug> --role <role>\`.
`;

const SUBSCRIPTION = new Set(['suspend', 'resume', 'set-plan']);
const STOPPING = ['suspended', 'canceled', 'paused'];

/** suspend | resume | set-plan: platform changes, audited in the tenant's log as the CLI's. */
async function subscription(sub: string, rest: string[], config: Parameters<typeof withDatabase>[0]) {
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { status: { type: 'string' } },
  });
  const [tenant, plan] = positionals;
  const status = values.status ?? (sub === 'suspend' ? 'suspended' : sub === 'resume' ? 'active' : undefined);
  const allowed = sub === 'suspend' ? STOPPING : SUBSCRIPTION_STATUSES.filter((x) => !STOPPING.includes(x));
  if (
    !tenant ||
    (sub === 'set-plan' && (!plan || positionals.length !== 2)) ||
    (status && !allowed.includes(status))
  ) {
    process.stderr.write(`frontdesk tenants ${sub}: bad arguments\n\n${USAGE}`);
    return 2;
  }
  return withDatabase(config, async (db) => {
    try {
      const t = await changeSubscription(
        db,
        tenant,
        sub === 'set-plan' ? { plan: plan! } : { subscriptionStatus: status as SubscriptionStatus },
        { type: 'system', id: null, via: 'cli' },
      );
      process.stdout.write(
        sub === 'set-plan'
          ? `tenant ${t.slug} is on the ${plan} plan\n`
          : `tenant ${t.slug} is ${t.subscriptionStatus}\n`,
      );
      return 0;
    } catch (error) {
      return reportUserError(error);
    }
  });
}

export const tenantsCommand: Command = {
  usage: USAGE,
  async run(args, { config }) {
    const [sub, ...rest] = args;
    if (sub && SUBSCRIPTION.has(sub)) return subscription(sub, rest, config);
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
