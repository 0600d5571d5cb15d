/**
 * What the fault-injection suite shares: a database of its own on the PostgreSQL server with a
 * tenant, an SMS channel and an API key; `frontdesk start` as a real child process; a Twilio-like
 * provider that signs its webhooks and retries any non-2xx (after Retry-After) until it is
 * acknowledged, recording every answer; and the checks every fault ends with.
 */
import { expect } from 'vitest';
import { twilioSignature } from '../../src/domains/channels/providers/twilio.js';
import { createApiKey } from '../../src/domains/identity/api-keys.js';
import type { Database } from '../../src/platform/db/database.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import { addChannel } from '../helpers/channels.js';
import { type StartedServer, startServer } from '../helpers/cli.js';
import { tenantWith } from '../helpers/rules.js';

export const AUTH_TOKEN = 'fault-token';
export const ACCOUNT = '+15550109999';

export interface Fixture {
  tenantId: string;
  channelId: string;
  apiKey: string;
}

export async function fixture(db: Database): Promise<Fixture> {
  const tenantId = await tenantWith(db);
  const channel = await addChannel(db, tenantId, 'sms', ACCOUNT, { authToken: AUTH_TOKEN });
  const { key } = await withTenant(db, tenantId, (tx) =>
    createApiKey(tx, tenantId, { name: 'faults', role: 'admin' }),
  );
  return { tenantId, channelId: channel.id, apiKey: key };
}

/** `frontdesk start` against `databaseUrl` (workers on unless told otherwise). */
export function frontdesk(databaseUrl: string, env: Record<string, string> = {}): Promise<StartedServer> {
  return startServer({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', ...env }, 90_000);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One answer the provider got: an HTTP status (with its problem type) or a network error. */
export interface Answer {
  status: number | 'network';
  type?: string;
  retryAfter?: string | null;
  /** When it arrived (Date.now()), for the measured figures; never asserted on. */
  at?: number;
}

/** A Twilio-like sender: signed SMS webhooks, each retried until acknowledged (or `giveUpMs`). */
export class Provider {
  readonly answers: Answer[] = [];
  readonly acknowledged = new Set<string>();

  constructor(private baseUrl: () => string) {}

  /** Delivers one message; resolves once it was acknowledged (200). */
  async deliver(sid: string, giveUpMs = 120_000): Promise<void> {
    const giveUpAt = Date.now() + giveUpMs;
    for (;;) {
      const url = `${this.baseUrl()}/v1/inbound/twilio`;
      const form = new URLSearchParams({
        MessageSid: sid,
        From: '+15550177001',
        To: ACCOUNT,
        Body: `hello ${sid}`,
      });
      let wait = 500;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-twilio-signature': twilioSignature(AUTH_TOKEN, url, form),
          },
          body: form.toString(),
          signal: AbortSignal.timeout(30_000),
        });
        const body = await res.text();
        if (res.status === 200) {
          this.answers.push({ status: 200, at: Date.now() });
          this.acknowledged.add(sid);
          return;
        }
        const retryAfter = res.headers.get('retry-after');
        this.answers.push({ status: res.status, type: safeType(body), retryAfter, at: Date.now() });
        if (retryAfter) wait = Number(retryAfter) * 1000;
      } catch {
        this.answers.push({ status: 'network', at: Date.now() });
      }
      if (Date.now() > giveUpAt) throw new Error(`${sid} was never acknowledged`);
      await sleep(wait);
    }
  }

  /** Sends `count` messages named `${prefix}-n` at `perSecond`; resolves when all are acknowledged. */
  async burst(prefix: string, count: number, perSecond: number): Promise<string[]> {
    const sids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
    const deliveries: Promise<void>[] = [];
    for (const sid of sids) {
      deliveries.push(this.deliver(sid));
      await sleep(1000 / perSecond);
    }
    await Promise.all(deliveries);
    return sids;
  }

  /** Every answer that was not an acknowledgement. */
  failures(): Answer[] {
    return this.answers.filter((a) => a.status !== 200);
  }
}

function safeType(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { type?: string }).type;
  } catch {
    return undefined;
  }
}

/** Failures must be 503 `/problems/unavailable` with Retry-After (or a refused connection), never a 500. */
export function expectOnlyUnavailable(answers: Answer[], allowNetwork = false): void {
  for (const a of answers) {
    if (a.status === 'network' && allowNetwork) continue;
    expect(a).toMatchObject({ status: 503, type: '/problems/unavailable' });
    expect(a.retryAfter).toMatch(/^\d+$/);
  }
}

/**
 * Waits (up to `withinMs`) until every acknowledged message is stored, then checks each is stored
 * exactly once and its event processed. Reads as the owner, straight from the server. Resolves
 * with how long the wait took (a measured figure, not asserted on).
 */
export async function expectStoredExactlyOnce(
  db: Database,
  sids: string[],
  withinMs = 150_000,
): Promise<number> {
  const started = Date.now();
  const deadline = started + withinMs;
  let stored: { sid: string; n: number }[] = [];
  let pending: string[] = sids;
  while (Date.now() < deadline) {
    stored = await db.query<{ sid: string; n: number }>(
      `SELECT external_message_id AS sid, count(*)::int AS n FROM messages
        WHERE external_message_id = ANY($1::text[]) GROUP BY 1`,
      [sids],
    );
    const events = await db.query<{ event_id: string }>(
      // 'ignored': processed again after its first run stored the message but died before
      // marking the event (the message deduped): still stored once.
      `SELECT event_id FROM inbound_events
        WHERE event_id = ANY($1::text[]) AND status IN ('processed', 'ignored')`,
      [sids],
    );
    const processed = new Set(events.map((e) => e.event_id));
    pending = sids.filter((s) => !processed.has(s));
    if (stored.length === sids.length && pending.length === 0) break;
    await sleep(500);
  }
  expect(pending, 'acknowledged events not processed in time').toEqual([]);
  expect(
    stored.filter((s) => s.n !== 1),
    'messages stored more than once',
  ).toEqual([]);
  expect(stored.map((s) => s.sid).sort()).toEqual([...sids].sort());
  return Date.now() - started;
}

/** The process is still running and ready (after the fault, within `withinMs`). */
export async function expectAliveAndReady(server: StartedServer, withinMs = 30_000): Promise<void> {
  expect(server.child.exitCode, `frontdesk exited:\n${server.output()}`).toBeNull();
  expect(server.child.signalCode).toBeNull();
  const deadline = Date.now() + withinMs;
  let status = 0;
  while (Date.now() < deadline) {
    status = await fetch(`${server.url}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    await sleep(250);
  }
  expect(status).toBe(200);
}

/** API traffic beside the webhooks: lists conversations until stopped, recording every answer. */
export function apiTraffic(baseUrl: string, apiKey: string, perSecond = 4) {
  const answers: Answer[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      try {
        const res = await fetch(`${baseUrl}/v1/conversations?limit=5`, {
          headers: { authorization: `Bearer ${apiKey}` },
          signal: AbortSignal.timeout(30_000),
        });
        const body = await res.text();
        answers.push(
          res.status === 200
            ? { status: 200, at: Date.now() }
            : {
                status: res.status,
                type: safeType(body),
                retryAfter: res.headers.get('retry-after'),
                at: Date.now(),
              },
        );
      } catch {
        answers.push({ status: 'network', at: Date.now() });
      }
      await sleep(1000 / perSecond);
    }
  })();
  return {
    answers,
    async stop() {
      running = false;
      await done;
    },
  };
}
