/**
 * What the responder scenarios share: the real app on loopback with a ManualClock and live
 * outbound delivery (tests point `config.providers.*` at the channel fakes), jobs run by
 * draining the real queue, and a tenant's responder set up over the real API.
 */

import { expect } from 'vitest';
import { type Channel, channels, type NewChannel } from '../../src/domains/channels/tables.js';
import { dispatchDueWebhooks } from '../../src/domains/ops/webhook-delivery.js';
import { ManualClock } from '../../src/platform/clock.js';
import { type Config, loadConfig } from '../../src/platform/config.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import type { FakeSlack } from '../fakes/slack.js';
import { makeTenant, type TestApi, type TestTenant, useTestApi } from '../helpers/api.js';

export function useScenario(start: string, env: Record<string, string> = {}) {
  const base = loadConfig(env);
  const config: Config = { ...base, outbound: 'live', providers: { ...base.providers } };
  const clock = new ManualClock(start);
  const api = useTestApi({ config, clock });
  return { api, config, clock };
}

/** Runs every due job (inbound processing, responder, delivery) until the queue is idle. */
export async function settle(api: TestApi): Promise<void> {
  await api.app.platform.jobs.drain();
}

/** Releases held replies that are due by the (moved) clock: what the minute tick does. */
export async function tick(api: TestApi): Promise<void> {
  await api.app.platform.jobs.send('responder.tick', {});
  await settle(api);
}

type Json = Record<string, unknown>;

/** POST/PATCH JSON over the API as `token`, expecting a 2xx; returns the body. */
export async function call(api: TestApi, token: string, method: string, path: string, body?: Json) {
  const res = await api.fetch(path, {
    method,
    token,
    ...(body ? { body: JSON.stringify(body) } : { body: '{}' }),
  });
  const json = (await res.json()) as Json;
  expect(res.status, `${method} ${path}: ${JSON.stringify(json)}`).toBeLessThan(300);
  return json;
}

export async function get(api: TestApi, token: string, path: string) {
  const res = await api.fetch(path, { token });
  const json = (await res.json()) as Json;
  expect(res.status, `GET ${path}: ${JSON.stringify(json)}`).toBe(200);
  return json;
}

/** A tenant with an active agent (policy in `agent`), a published prompt and FAQ entries, all over the API. */
export async function setUpResponder(
  api: TestApi,
  agent: Json,
  faq: Array<[question: string, answer: string]>,
): Promise<{ tenant: TestTenant; agentId: string; promptVersionId: string }> {
  const tenant = await makeTenant(api.db);
  const admin = tenant.keys.admin;
  const created = await call(api, admin, 'POST', '/v1/agents', {
    name: 'Assistant',
    status: 'active',
    ...agent,
  });
  const prompt = await call(api, admin, 'POST', '/v1/prompt-versions', {
    agentId: created.id,
    content: 'Answer guests and clients from the knowledge base only.',
  });
  await call(api, admin, 'POST', `/v1/prompt-versions/${prompt.id}/publish`);
  if (faq.length) {
    const category = await call(api, admin, 'POST', '/v1/faq-categories', {
      name: 'General',
      slug: 'general',
    });
    for (const [question, answer] of faq) {
      await call(api, admin, 'POST', '/v1/faq-items', { categoryId: category.id, question, answer });
    }
  }
  return { tenant, agentId: created.id as string, promptVersionId: prompt.id as string };
}

/** Webhook deliveries recorded so far are sent (what the dispatcher loop does on a server). */
export async function dispatchWebhooks(api: TestApi): Promise<void> {
  await dispatchDueWebhooks(api.app.platform);
  await settle(api);
}

/** A webhook consumer on loopback that records what it receives. */
export async function startHookReceiver(): Promise<{
  url: string;
  received: Array<{ type: string; data: Record<string, unknown> }>;
  close(): Promise<void>;
}> {
  const { createServer } = await import('node:http');
  const received: Array<{ type: string; data: Record<string, unknown> }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString()));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A provider channel answered by `agentId`, with its secrets (stored directly: the API never takes secrets back out). */
export async function addAgentChannel(
  api: TestApi,
  tenantId: string,
  values: Pick<NewChannel, 'kind' | 'name' | 'externalAccountId' | 'agentId' | 'secrets'>,
): Promise<Channel> {
  const [row] = await withTenant(api.db, tenantId, (tx) =>
    tx
      .insert(channels)
      .values({ tenantId, ...values })
      .returning(),
  );
  return row!;
}

/** A Slack workspace channel on the fake, answered by `agentId`. */
export const addSlackChannel = (api: TestApi, tenantId: string, slack: FakeSlack, agentId: string) =>
  addAgentChannel(api, tenantId, {
    kind: 'slack',
    name: 'Slack workspace',
    externalAccountId: slack.teamId,
    agentId,
    secrets: { signingSecret: slack.signingSecret, botToken: slack.botToken },
  });

/** `user` writes `text` in Slack `channel` (signed at the scenario clock); returns the message ts. */
export async function slackSays(
  api: TestApi,
  slack: FakeSlack,
  clock: ManualClock,
  user: string,
  channel: string,
  text: string,
): Promise<string> {
  const event = slack.messageEvent(user, channel, text);
  const res = await fetch(
    `${api.url}/v1/inbound/slack/${slack.teamId}`,
    slack.signed(event, { timestamp: Math.floor(clock.now().getTime() / 1000) }),
  );
  expect(res.status).toBe(200);
  await settle(api);
  return event.event.ts;
}
