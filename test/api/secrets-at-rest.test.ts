/**
 * Secrets at rest: channel and integration credentials and webhook signing secrets are stored
 * sealed (envelope encryption, the key id in each value), used opened (an inbound signature made
 * with the secret verifies), never returned, and re-sealed by the rotation with the new key.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { channels, integrations } from '../../src/domains/channels/tables.js';
import { resealSecrets } from '../../src/domains/ops/reseal.js';
import { webhookEndpoints } from '../../src/domains/ops/tables.js';
import { ConfigError, loadConfig } from '../../src/platform/config.js';
import {
  openSecrets,
  openString,
  parseKeyring,
  SecretsError,
  sealedWith,
  sealString,
} from '../../src/platform/secrets.js';
import { FakeMailgun } from '../fakes/email.js';
import { makeTenant, type TestTenant, useTestApi } from '../helpers/api.js';
import { withOwner } from '../helpers/db.js';

const K1 = randomBytes(32).toString('base64');
const K2 = randomBytes(32).toString('base64');
const config = loadConfig({ FRONTDESK_SECRETS_KEYS: `k1:${K1}` });
const api = useTestApi({ config });
const mailgun = new FakeMailgun();
let T: TestTenant;
beforeAll(async () => {
  T = await makeTenant(api.db);
});

const stored = async () => ({
  channels: await withOwner(api.db, (tx) => tx.select().from(channels)),
  integrations: await withOwner(api.db, (tx) => tx.select().from(integrations)),
  endpoints: await withOwner(api.db, (tx) => tx.select().from(webhookEndpoints)),
});

describe('sealing', () => {
  it('opens what it sealed, refuses an altered value or an unknown key, reads plain values as they are', () => {
    const ring = parseKeyring(`k1:${K1}`);
    const sealed = sealString(ring, 'tok-secret');
    expect(sealed).toMatch(/^fdsealed:v1:k1:/);
    expect(sealed).not.toContain('tok-secret');
    expect(sealString(ring, 'tok-secret')).not.toBe(sealed); // a fresh data key each time
    expect(openString(ring, sealed)).toBe('tok-secret');
    expect(openString(ring, 'plain-before-sealing')).toBe('plain-before-sealing');
    // One character of the sealed body changed (to another one: the one replaced decides).
    const altered = `${sealed.slice(0, -3)}${sealed.at(-3) === 'A' ? 'B' : 'A'}${sealed.slice(-2)}`;
    expect(() => openString(ring, altered)).toThrow(SecretsError);
    expect(() => openString(parseKeyring(`k2:${K2}`), sealed)).toThrow(/k1, which is not configured/);
    expect(() => openString(parseKeyring(`k1:${K2}`), sealed)).toThrow(/does not open/);
  });

  it('refuses a malformed key at start-up, naming the variable and never the key', () => {
    for (const bad of ['k1:short', `:${K1}`, `k1:${K1},k1:${K2}`, 'no-colon']) {
      let error: unknown;
      try {
        loadConfig({ FRONTDESK_SECRETS_KEYS: bad });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain('FRONTDESK_SECRETS_KEYS');
      expect((error as Error).message).not.toContain(K1);
    }
  });
});

describe('through the API', () => {
  it('stores channel credentials sealed, uses them opened, never returns them', async () => {
    const signingKey = mailgun.signingKey;
    const made = await api.fetch('/v1/channels', {
      method: 'POST',
      token: T.keys.admin,
      body: JSON.stringify({
        kind: 'email',
        name: 'Desk',
        externalAccountId: 'desk@sealed.example',
        secrets: { signingKey },
      }),
    });
    expect(made.status).toBe(201);
    const text = JSON.stringify(await made.json());
    expect(text).not.toContain(signingKey);
    const row = (await stored()).channels.find((c) => c.externalAccountId === 'desk@sealed.example')!;
    expect(sealedWith(row.secrets.signingKey!)).toBe('k1');
    expect(JSON.stringify(row.secrets)).not.toContain(signingKey);
    // The inbound webhook verifies with the opened key.
    const mail = mailgun.incoming({
      recipient: 'desk@sealed.example',
      sender: 'g@x.example',
      subject: 's',
      text: 't',
    });
    expect((await api.fetch('/v1/inbound/email', mail.init)).status).toBe(200);
    // A PATCH of the secrets seals them too; the audit log never holds them in clear.
    const patched = await api.fetch(`/v1/channels/${row.id}`, {
      method: 'PATCH',
      token: T.keys.admin,
      body: JSON.stringify({ secrets: { signingKey: 'key-rotated-by-hand' } }),
    });
    expect(patched.status).toBe(200);
    const after = (await stored()).channels.find((c) => c.id === row.id)!;
    expect(openSecrets(config.secrets, after.secrets)).toEqual({ signingKey: 'key-rotated-by-hand' });
    const audit = await api.fetch(`/v1/audit-log?resourceId=${row.id}`, { token: T.keys.admin });
    expect(await audit.text()).not.toContain('key-rotated-by-hand');
  });

  it('stores webhook signing secrets sealed and shows them once', async () => {
    const made = await api.fetch('/v1/webhook-endpoints', {
      method: 'POST',
      token: T.keys.admin,
      body: JSON.stringify({ url: 'https://hooks.example.com/sealed' }),
    });
    const { secret, id } = (await made.json()) as { secret: string; id: string };
    expect(secret).toMatch(/^whsec_/);
    const row = (await stored()).endpoints.find((e) => e.id === id)!;
    expect(sealedWith(row.secret)).toBe('k1');
    expect(openString(config.secrets, row.secret)).toBe(secret);
    const got = await api.fetch(`/v1/webhook-endpoints/${id}`, { token: T.keys.admin });
    expect(await got.text()).not.toContain(secret);
  });
});

describe('rotation', () => {
  it('re-seals every secret (and plain legacy ones) with the new key; a second run finds nothing', async () => {
    const [legacy] = await withOwner(api.db, (tx) =>
      tx
        .insert(integrations)
        .values({ tenantId: T.id, type: 'hubspot', name: 'Legacy', secrets: { accessToken: 'plain-legacy' } })
        .returning(),
    );
    const before = await stored();
    const opened = (ring: ReturnType<typeof parseKeyring>, s: Awaited<ReturnType<typeof stored>>) => ({
      channels: s.channels.map((c) => openSecrets(ring, c.secrets)),
      integrations: s.integrations.map((i) => openSecrets(ring, i.secrets)),
      endpoints: s.endpoints.map((e) => openString(ring, e.secret)),
    });
    const ring2 = parseKeyring(`k2:${K2},k1:${K1}`);
    const report = await resealSecrets(api.db, ring2);
    expect(report.channels).toBeGreaterThanOrEqual(1);
    expect(report.integrations).toBe(1);
    expect(report.webhookEndpoints).toBeGreaterThanOrEqual(1);
    const after = await stored();
    for (const c of after.channels)
      for (const v of Object.values(c.secrets)) expect(sealedWith(v)).toBe('k2');
    for (const e of after.endpoints) expect(sealedWith(e.secret)).toBe('k2');
    const legacyAfter = after.integrations.find((i) => i.id === legacy!.id)!;
    expect(sealedWith(legacyAfter.secrets.accessToken!)).toBe('k2');
    // Same secrets, now readable with the new key alone.
    expect(opened(parseKeyring(`k2:${K2}`), after)).toEqual(opened(config.secrets, before));
    expect(await resealSecrets(api.db, ring2)).toEqual({ channels: 0, integrations: 0, webhookEndpoints: 0 });
    await withOwner(api.db, (tx) => tx.delete(integrations).where(eq(integrations.id, legacy!.id)));
  });
});
