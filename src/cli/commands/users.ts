import { parseArgs } from 'node:util';
import { and, eq, sql } from 'drizzle-orm';
import { hashPassword } from '../../domains/identity/passwords.js';
import { memberships, ROLES, type Role, users } from '../../domains/identity/tables.js';
import { tenantBySlug } from '../../domains/tenancy/lookup.js';
import type { Config } from '../../platform/config.js';
import { withPlatform } from '../../platform/db/tenant.js';
import type { Command } from '../command.js';
import { reportUserError, withDatabase } from '../runtime-helpers.js';

const USAGE = `Usage:
  frontdesk users create --email <email> [--name <name>] [--tenant <slug> --role <role>] [--platform-admin]
  frontdesk users add --email <email> --tenant <slug> [--role <role>]
  create: a new user; the password is read from FRONTDESK_USER_PASSWORD or, if unset, from
  standard input (one line). add: makes an existing user a member of another tenant (role
  default agent).
`;

async function readPassword(fromConfig: string | undefined): Promise<string> {
  if (fromConfig) return fromConfig;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split('\n')[0]!.trim();
}

export const usersCommand: Command = {
  usage: USAGE,
  async run(args, { config }) {
    const [sub, ...rest] = args;
    const { values } = parseArgs({
      args: rest,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        tenant: { type: 'string' },
        role: { type: 'string', default: 'agent' },
        'platform-admin': { type: 'boolean', default: false },
      },
    });
    if (sub === 'add' && values.email && values.tenant) {
      if (!ROLES.includes(values.role as Role)) {
        process.stderr.write(`frontdesk: --role must be one of ${ROLES.join(', ')}\n`);
        return 2;
      }
      return addMember(config, values.email, values.tenant, values.role as Role);
    }
    if (sub !== 'create' || !values.email || !/^[^@\s]+@[^@\s]+$/.test(values.email)) {
      process.stderr.write(USAGE);
      return 2;
    }
    if (!ROLES.includes(values.role as Role)) {
      process.stderr.write(`frontdesk: --role must be one of ${ROLES.join(', ')}\n`);
      return 2;
    }
    const password = await readPassword(config.userPassword);
    if (password.length < 12) {
      process.stderr.write('frontdesk: the password must be at least 12 characters\n');
      return 2;
    }
    const passwordHash = await hashPassword(password);
    return withDatabase(config, async (db) => {
      const tenant = values.tenant ? await tenantBySlug(db, values.tenant) : null;
      if (values.tenant && !tenant) {
        process.stderr.write(`frontdesk: no tenant with slug "${values.tenant}"\n`);
        return 2;
      }
      try {
        const user = await withPlatform(db, async (tx) => {
          const [u] = await tx
            .insert(users)
            .values({
              email: values.email!,
              name: values.name ?? null,
              passwordHash,
              isPlatformAdmin: values['platform-admin'],
            })
            .returning();
          if (tenant)
            await tx
              .insert(memberships)
              .values({ tenantId: tenant.id, userId: u!.id, role: values.role as Role });
          return u!;
        });
        process.stdout.write(
          `created user ${user.email} (${user.id})${tenant ? ` as ${values.role} of ${tenant.slug}` : ''}\n`,
        );
        return 0;
      } catch (error) {
        return reportUserError(error);
      }
    });
  },
};

/** `users add`: an existing user joins another tenant. */
async function addMember(config: Config, email: string, slug: string, role: Role): Promise<number> {
  return withDatabase(config, async (db) => {
    const tenant = await tenantBySlug(db, slug);
    if (!tenant) {
      process.stderr.write(`frontdesk: no tenant with slug "${slug}"\n`);
      return 2;
    }
    try {
      return await withPlatform(db, async (tx) => {
        const [user] = await tx
          .select({ id: users.id, email: users.email })
          .from(users)
          .where(sql`lower(${users.email}) = lower(${email})`);
        if (!user) {
          process.stderr.write(
            `frontdesk: no user with the email ${email}: create one with \`frontdesk users create --email ${email} --tenant ${slug} --role ${role}\`\n`,
          );
          return 2;
        }
        const [existing] = await tx
          .select({ role: memberships.role })
          .from(memberships)
          .where(and(eq(memberships.tenantId, tenant.id), eq(memberships.userId, user.id)));
        if (existing) {
          process.stderr.write(
            `frontdesk: ${user.email} is already a member of ${slug} (${existing.role})\n`,
          );
          return 2;
        }
        await tx.insert(memberships).values({ tenantId: tenant.id, userId: user.id, role });
        process.stdout.write(`added ${user.email} to ${slug} as ${role}\n`);
        return 0;
      });
    } catch (error) {
      return reportUserError(error);
    }
  });
}
