/**
 * The monthly conversations limit on the ways in that open conversations by themselves: an
 * inbound provider message over the limit is still acknowledged (200) and recorded, and its event
 * is settled `failed` with the quota's reason; a widget visitor over the limit gets the
 * /problems/quota-exceeded document. Existing conversations keep working.
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { processInboundEvent } from '../../src/domains/channels/inbound.js';
import { inboundEvents } from '../../src/domains/ops/tables.js';
import { withPlatform } from '../../src/platform/db/tenant.js';
import { FakeTelegram } from '../fakes/telegram.js';
import { addChannel, useChannelsApi } from '../helpers/channels.js';
import { expectQuotaProblem, tenantOnPlan } from './helpers.js';

const { api } = useChannelsApi();
const tg = new FakeTelegram();
let tenant: Awaited<ReturnType<typeof tenantOnPlan>>;
let widgetKey: string;

beforeAll(async () => {
  tenant = await tenantOnPlan(api.db, { monthlyConversations: 1 });
  await addChannel(api.db, tenant.id, 'telegram', tg.botId, {
    botToken: tg.botToken,
    webhookSecret: tg.webhookSecret,
  });
  const res = await api.fetch('/v1/channels', {
    method: 'POST',
    token: tenant.keys.admin,
    body: JSON.stringify({ kind: 'widget', name: 'Help widget' }),
  });
  widgetKey = ((await res.json()) as { widgetKey: string }).widgetKey;
});

/** Posts a Telegram message from `sender`, processes its event, returns the event row. */
async function telegram(sender: number, text: string) {
  const { init } = tg.incoming(sender, text);
  const res = await fetch(`${api.url}/v1/inbound/telegram/${tg.botId}`, init);
  expect(res.status).toBe(200);
  const [event] = await withPlatform(api.db, (tx) =>
    tx
      .select()
      .from(inboundEvents)
      .where(eq(inboundEvents.routedTenantId, tenant.id))
      .orderBy(inboundEvents.receivedAt, inboundEvents.id),
  ).then((rows) => rows.slice(-1));
  await processInboundEvent(api.app.platform, event!.id);
  return (
    await withPlatform(api.db, (tx) => tx.select().from(inboundEvents).where(eq(inboundEvents.id, event!.id)))
  )[0]!;
}

describe('monthly conversations on inbound channels and the widget', () => {
  it('an inbound message over the limit is acknowledged, recorded and settled failed with the reason', async () => {
    expect(await telegram(1001, 'first guest')).toMatchObject({ status: 'processed' });
    const refused = await telegram(1002, 'second guest');
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatch(/allows 1 monthlyConversations in \d{4}-\d{2} and 1 are used/);
    // The first guest's conversation goes on.
    expect(await telegram(1001, 'me again')).toMatchObject({ status: 'processed' });
  });

  it('a widget visitor opening a conversation over the limit gets the quota problem', async () => {
    const session = await fetch(`${api.url}/v1/widget/${widgetKey}/sessions`, { method: 'POST' });
    expect(session.status).toBe(201);
    const { token } = (await session.json()) as { token: string };
    const res = await fetch(`${api.url}/v1/widget/${widgetKey}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hello?' }),
    });
    await expectQuotaProblem(res, { limit: 'monthlyConversations', allowed: 1, used: 1, plan: tenant.plan });
  });
});
