import { parseArgs } from 'node:util';
import { and, eq, isNull } from 'drizzle-orm';
import { createApiKey } from '../../domains/identity/api-keys.js';
import { apiKeys, ROLES, type Role } from '../../domains/identity/tables.js';
import { tenantBySlug } from '../../domains/tenancy/lookup.js';
import { systemClock } from '../../platform/clock.js';
import { withTenant } from '../../platform/db/tenant.js';
import type { Command } from '../command.js';
import { withDatabase } from '../runtime-helpers.js';

const USAGE = `Usage:
  frontdesk keys create --tenant <slug> [--name <name>] [--role owner|admin|agent|viewer]
  frontdesk keys list --tenant <slug>
  frontdesk keys revoke --tenant <slug> <key id or prefix>
`;

export const keysCommand: Command = {
  usage: USAGE,
  async run(args, { config }) {
    const [sub, ...rest] = args;
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        tenant: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string', default: 'agent' },
      },
    });
    if (
      !['create', 'list', 'revoke'].includes(sub ?? '') ||
      !values.tenant ||
      (sub === 'revoke' && !positionals[0])
    ) {
      process.stderr.write(USAGE);
      return 2;
    }
    if (!ROLES.includes(values.role as Role)) {
      process.stderr.write(`frontdesk: --role must be one of ${ROLES.join(', ')}\n`);
      return 2;
    }
    return withDatabase(config, async (db) => {
      const tenant = await tenantBySlug(db, values.tenant!);
      if (!tenant) {
        process.stderr.write(`frontdesk: no tenant with slug "${values.tenant}"\n`);
        return 2;
      }
      if (sub === 'create') {
        const { row, key } = await withTenant(db, tenant.id, (tx) =>
          createApiKey(tx, tenant.id, { name: values.name ?? 'CLI key', role: values.role as Role }),
        );
        process.stdout.write(
          `created ${row.role} key ${row.id} for ${tenant.slug}; it is shown only now:\n${key}\n`,
        );
        return 0;
      }
      if (sub === 'list') {
        const keys = await withTenant(db, tenant.id, (tx) =>
          tx.select().from(apiKeys).orderBy(apiKeys.createdAt),
        );
        for (const k of keys) {
          const state = k.revokedAt ? 'revoked' : 'active ';
          process.stdout.write(`${k.id}  fd_${k.prefix}_…  ${k.role.padEnd(6)} ${state} ${k.name}\n`);
        }
        return 0;
      }
      const target = positionals[0]!;
      const revoked = await withTenant(db, tenant.id, (tx) =>
        tx
          .update(apiKeys)
          .set({ revokedAt: systemClock.now() })
          .where(
            and(
              /^[0-9a-f-]{36}$/.test(target)
                ? eq(apiKeys.id, target)
                : eq(apiKeys.prefix, target.replace(/^fd_|_.*$/g, '')),
              isNull(apiKeys.revokedAt),
            ),
          )
          .returning({ id: apiKeys.id }),
      );
      if (!revoked.length) {
        process.stderr.write(`frontdesk: no active key "${target}" in ${tenant.slug}\n`);
        return 2;
      }
      process.stdout.write(`revoked ${revoked[0]!.id}\n`);
      return 0;
    });
  },
};
