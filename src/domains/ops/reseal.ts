/**
 * Re-seals every stored secret with the current key (FRONTDESK_SECRETS_KEYS, first entry):
 * channel and integration credentials and webhook signing secrets, in every tenant, in one
 * transaction. Values sealed with an older key are opened with it and sealed again; plain values
 * (written before a key was configured) are sealed. Safe to run twice: what already carries the
 * current key id is left alone. Once it reports nothing left on an old key, that key can be
 * removed from the configuration.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.js';
import { withPlatform } from '../../platform/db/tenant.js';
import { type Keyring, openString, SecretsError, sealedWith, sealString } from '../../platform/secrets.js';
import { channels, integrations } from '../channels/tables.js';
import { webhookEndpoints } from './tables.js';

export interface ResealReport {
  channels: number;
  integrations: number;
  webhookEndpoints: number;
}

export async function resealSecrets(db: Database, ring: Keyring): Promise<ResealReport> {
  const current = ring.current;
  if (!current) throw new SecretsError('no key to seal with: set FRONTDESK_SECRETS_KEYS (new key first)');
  const stale = (v: string | null | undefined) => typeof v === 'string' && sealedWith(v) !== current.id;
  const reseal = (v: string) => sealString(ring, openString(ring, v));
  const resealAll = (o: Record<string, string>) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, stale(v) ? reseal(v) : v]));

  return withPlatform(db, async (tx) => {
    const report: ResealReport = { channels: 0, integrations: 0, webhookEndpoints: 0 };
    for (const [table, key] of [
      [channels, 'channels'],
      [integrations, 'integrations'],
    ] as const) {
      for (const row of await tx.select({ id: table.id, secrets: table.secrets }).from(table)) {
        if (!Object.values(row.secrets).some(stale)) continue;
        await tx
          .update(table)
          .set({ secrets: resealAll(row.secrets) })
          .where(eq(table.id, row.id));
        report[key]++;
      }
    }
    for (const e of await tx.select().from(webhookEndpoints)) {
      if (!stale(e.secret) && !stale(e.previousSecret)) continue;
      await tx
        .update(webhookEndpoints)
        .set({
          secret: stale(e.secret) ? reseal(e.secret) : e.secret,
          previousSecret:
            e.previousSecret && stale(e.previousSecret) ? reseal(e.previousSecret) : e.previousSecret,
        })
        .where(eq(webhookEndpoints.id, e.id));
      report.webhookEndpoints++;
    }
    return report;
  });
}
