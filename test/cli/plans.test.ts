/**
 * `frontdesk tenants suspend|resume|set-plan` as an operator runs them: a real process per
 * command on a temporary embedded data folder; each change lands in the tenant's audit log as
 * the CLI's (system actor, via cli). Bad arguments exit 2 and change nothing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.js';

vi.setConfig({ testTimeout: 240_000 });

const dataDir = mkdtempSync(join(tmpdir(), 'frontdesk-plans-'));
const cli = (...args: string[]) => runCli(args, { FRONTDESK_DATA_DIR: dataDir });

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const pg = await PGlite.create({ dataDir: join(dataDir, 'pgdata'), extensions: { vector } });
  try {
    return (await pg.query<T>(sql, params)).rows;
  } finally {
    await pg.close();
  }
}

const tenantRow = async () =>
  (
    await query<{ subscription_status: string; plan: string | null }>(
      `SELECT t.subscription_status, p.slug AS plan FROM tenants t LEFT JOIN plans p ON p.id = t.plan_id
        WHERE t.slug = 'acme'`,
    )
  )[0]!;

describe('frontdesk tenants suspend | resume | set-plan', () => {
  it('changes the plan and the status, each audited as the CLI', async () => {
    expect((await cli('tenants', 'create', '--slug', 'acme', '--name', 'Acme')).code).toBe(0);
    await query(
      `INSERT INTO plans (id, slug, name, limits) VALUES
         (gen_random_uuid(), 'small', 'Small', '{"agents": 1}'), (gen_random_uuid(), 'big', 'Big', '{"agents": 9}')`,
    );

    const planned = await cli('tenants', 'set-plan', 'acme', 'small');
    expect(planned.stderr).toBe('');
    expect(planned).toMatchObject({ code: 0, stdout: 'tenant acme is on the small plan\n' });
    const suspended = await cli('tenants', 'suspend', 'acme');
    expect(suspended).toMatchObject({ code: 0, stdout: 'tenant acme is suspended\n' });
    expect(await tenantRow()).toEqual({ subscription_status: 'suspended', plan: 'small' });

    const resumed = await cli('tenants', 'resume', 'acme');
    expect(resumed).toMatchObject({ code: 0, stdout: 'tenant acme is active\n' });
    expect(await tenantRow()).toEqual({ subscription_status: 'active', plan: 'small' });

    const log = await query<{ action: string; actor_type: string; old_values: unknown; new_values: unknown }>(
      `SELECT action, actor_type, old_values, new_values FROM audit_log ORDER BY created_at, id`,
    );
    expect(log).toEqual([
      {
        action: 'tenant.plan',
        actor_type: 'system',
        old_values: { plan: null },
        new_values: { plan: 'small', via: 'cli' },
      },
      {
        action: 'tenant.status',
        actor_type: 'system',
        old_values: { subscriptionStatus: 'trialing' },
        new_values: { subscriptionStatus: 'suspended', via: 'cli' },
      },
      {
        action: 'tenant.status',
        actor_type: 'system',
        old_values: { subscriptionStatus: 'suspended' },
        new_values: { subscriptionStatus: 'active', via: 'cli' },
      },
    ]);
  });

  it('refuses bad arguments, an unknown plan or tenant with exit code 2, changing nothing', async () => {
    for (const args of [
      ['tenants', 'set-plan', 'acme'],
      ['tenants', 'suspend'],
      ['tenants', 'suspend', 'acme', '--status', 'active'],
      ['tenants', 'resume', 'acme', '--status', 'suspended'],
    ]) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/Usage:/);
    }
    const unknownPlan = await cli('tenants', 'set-plan', 'acme', 'gold');
    expect(unknownPlan.code).toBe(2);
    expect(unknownPlan.stderr).toMatch(/unknown plan/);
    const unknownTenant = await cli('tenants', 'suspend', 'nobody');
    expect(unknownTenant.code).toBe(2);
    expect(unknownTenant.stderr).toMatch(/no tenant "nobody"/);
    expect(await tenantRow()).toEqual({ subscription_status: 'active', plan: 'small' });
  });
});
